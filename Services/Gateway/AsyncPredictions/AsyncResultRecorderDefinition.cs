using MassTransit;

namespace MnistEvents.Gateway.AsyncPredictions;

/// <summary>One durable queue for all gateway instances (competing), so no result is lost while a gateway restarts.</summary>
public sealed class AsyncResultRecorderDefinition : ConsumerDefinition<AsyncResultRecorder>
{
    public AsyncResultRecorderDefinition() => EndpointName = "gateway-async-results";
}
