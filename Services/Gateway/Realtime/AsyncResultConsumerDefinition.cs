using MnistEvents.ServiceDefaults.Bus;

namespace MnistEvents.Gateway.Realtime;

/// <summary>SignalR pushes come from this gateway instance's own queue (every instance hears every result, keeps its own).</summary>
public sealed class AsyncResultConsumerDefinition() : InstanceConsumerDefinition<AsyncResultConsumer>("gateway-async-results");
