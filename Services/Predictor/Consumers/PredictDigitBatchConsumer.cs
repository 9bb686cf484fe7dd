using MassTransit;
using MnistEvents.Contracts;
using MnistEvents.Predictor.Serving;

namespace MnistEvents.Predictor.Consumers;

/// <summary>
/// Classifies a gateway-coalesced <see cref="PredictDigitBatch"/> in one forward pass: one message in, one out, however
/// many digits. A request (synchronous callers) gets the answers as its response, or <see cref="PredictionRejected"/>
/// when its pixels are not whole images; a plain command (async submissions) gets them published, for the gateways'
/// durable results queue (a malformed one has nobody to tell, and is logged).
/// </summary>
public sealed class PredictDigitBatchConsumer(BatchPredictor predictor, InferenceThreads threads, ShadowRunner shadow, LiveInputs inputs, PredictorMetrics metrics,
    ILogger<PredictDigitBatchConsumer> logger)
    : IConsumer<PredictDigitBatch>
{
    public async Task Consume(ConsumeContext<PredictDigitBatch> context)
    {
        var batch = context.Message;
        if (context.ReceiveContext.Redelivered) metrics.Redelivered();
        // Its caller stopped waiting (the time-to-live is the gateway's deadline, or an async result's retention): answering would only cost a forward pass.
        if (context.ExpirationTime < DateTime.UtcNow)
        {
            logger.LogDebug("Skipping PredictDigitBatch {BatchId}: expired at {ExpirationTime:O}", batch.BatchId, context.ExpirationTime);
            return;
        }
        if (!BatchPredictor.IsWholeImages(batch.Pixels, batch.RequestIds?.Length ?? 0))
        {
            var reason = $"{batch.Pixels?.Length ?? 0} pixel bytes for {batch.RequestIds?.Length ?? 0} requests: a batch holds one 28×28 image (784 bytes) per request";
            logger.LogWarning("Refusing PredictDigitBatch {BatchId}: {Reason}", batch.BatchId, reason);
            if (context.ResponseAddress is not null) await context.RespondAsync(new PredictionRejected(batch.BatchId, reason));
            return;
        }
        DigitBatchPredicted answers;
        try
        {
            answers = await threads.RunAsync(() => predictor.Predict(batch.BatchId, batch.RequestIds!, batch.Pixels!, batch.SentAt, batch.ModelVersion));
        }
        catch (KeptVersionException e)
        {
            logger.LogWarning("Refusing PredictDigitBatch {BatchId}: {Reason}", batch.BatchId, e.Message);
            if (context.ResponseAddress is not null) await context.RespondAsync(new PredictionRejected(batch.BatchId, e.Message));
            return;
        }
        if (context.ResponseAddress is null) await context.Publish(answers);
        else await context.RespondAsync(answers);
        // A named version's answers say nothing about the served model's traffic or its candidate.
        if (batch.ModelVersion is not null) return;
        // Counted once answered, so neither adds to the caller's wait.
        inputs.Observe(batch.Pixels!, answers);
        shadow.Observe(batch.Pixels!, answers);
    }
}
