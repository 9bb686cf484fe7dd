using MassTransit;
using MnistEvents.Contracts;
using MnistEvents.Predictor.Serving;

namespace MnistEvents.Predictor.Consumers;

/// <summary>Classifies a gateway-coalesced <see cref="PredictDigitBatch"/> in one forward pass: one message in, one out, however many digits.</summary>
public sealed class PredictDigitBatchConsumer(BatchPredictor predictor, ILogger<PredictDigitBatchConsumer> logger) : IConsumer<PredictDigitBatch>
{
    public async Task Consume(ConsumeContext<PredictDigitBatch> context)
    {
        var batch = context.Message;
        // Its caller stopped waiting (the time-to-live is the gateway's deadline): answering would only cost a forward pass.
        if (context.ExpirationTime < DateTime.UtcNow)
        {
            logger.LogDebug("Skipping PredictDigitBatch {BatchId}: expired at {ExpirationTime:O}", batch.BatchId, context.ExpirationTime);
            return;
        }
        if (!BatchPredictor.IsWholeImages(batch.Pixels, batch.RequestIds?.Length ?? 0))
        {
            logger.LogWarning("Dropping PredictDigitBatch {BatchId}: {Length} pixel bytes for {Count} requests", batch.BatchId, batch.Pixels?.Length ?? 0, batch.RequestIds?.Length ?? 0);
            return;
        }
        var answers = predictor.Predict(batch.RequestIds!, batch.Pixels!, Enumerable.Repeat(batch.SentAt, batch.RequestIds!.Length));
        await context.RespondAsync(new DigitBatchPredicted(batch.BatchId, answers));
    }
}
