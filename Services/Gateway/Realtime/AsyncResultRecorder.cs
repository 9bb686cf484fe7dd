using MassTransit;
using MnistEvents.Contracts;

namespace MnistEvents.Gateway.Realtime;

/// <summary>
/// Keeps every async result on the volume, from a durable queue the gateway instances share: results that arrive
/// while a gateway is down wait in it, and whichever instance takes one records it for all.
/// </summary>
public sealed class AsyncResultRecorder(AsyncPredictionStore store, ILogger<AsyncResultRecorder> logger) : IConsumer<DigitPredicted>
{
    public Task Consume(ConsumeContext<DigitPredicted> context)
    {
        if (!store.Record(context.Message))
            logger.LogDebug("Result {RequestId} matches no kept async prediction (expired, or not submitted through a gateway)", context.Message.RequestId);
        return Task.CompletedTask;
    }
}
