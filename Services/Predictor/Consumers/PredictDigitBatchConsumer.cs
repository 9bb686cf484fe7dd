using MassTransit;
using MnistEvents.Contracts;
using MnistEvents.Predictor.Serving;

namespace MnistEvents.Predictor.Consumers;

/// <summary>
/// Classifies a gateway-coalesced <see cref="PredictDigitBatch"/> in one forward pass: one message in, one out, however
/// many digits. A request (synchronous callers) gets the answers as its response; a plain command (async submissions)
/// gets them published, for the gateways' durable results queue.
/// </summary>
public sealed class PredictDigitBatchConsumer(BatchPredictor predictor, ShadowRunner shadow, ILogger<PredictDigitBatchConsumer> logger)
    : IConsumer<PredictDigitBatch>
{
    public async Task Consume(ConsumeContext<PredictDigitBatch> context)
    {
        var batch = context.Message;
        // Its caller stopped waiting (the time-to-live is the gateway's deadline, or an async result's retention): answering would only cost a forward pass.
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
        var answers = new DigitBatchPredicted(batch.BatchId, predictor.Predict(batch.RequestIds!, batch.Pixels!, batch.SentAt));
        if (context.ResponseAddress is null) await context.Publish(answers);
        else await context.RespondAsync(answers);
        shadow.Observe(batch.Pixels!, answers.Predictions);
    }
}
