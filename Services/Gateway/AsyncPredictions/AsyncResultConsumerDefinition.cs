using MnistEvents.ServiceDefaults.Bus;

namespace MnistEvents.Gateway.AsyncPredictions;

/// <summary>SignalR pushes come from this gateway instance's own queue: every instance hears every result and pushes those its own connections are owed.</summary>
public sealed class AsyncResultConsumerDefinition() : InstanceConsumerDefinition<AsyncResultConsumer>("gateway-async-pushes");
