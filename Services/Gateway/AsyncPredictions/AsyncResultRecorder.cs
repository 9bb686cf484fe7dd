using MassTransit;
using MnistEvents.Contracts;

namespace MnistEvents.Gateway.AsyncPredictions;

/// <summary>
/// Keeps every async result on the volume, from a durable queue the gateway instances share: results that arrive
/// while a gateway is down wait in it, and whichever instance takes a batch records it for all.
/// </summary>
public sealed class AsyncResultRecorder(AsyncPredictionStore store, ILogger<AsyncResultRecorder> logger) : IConsumer<DigitBatchPredicted>
{
    public Task Consume(ConsumeContext<DigitBatchPredicted> context)
    {
        if (store.Record(context.Message.Predictions()) is > 0 and var unknown)
            logger.LogDebug("{Count} results of batch {BatchId} match no kept async prediction (expired, or not submitted through a gateway)", unknown, context.Message.BatchId);
        return Task.CompletedTask;
    }
}
