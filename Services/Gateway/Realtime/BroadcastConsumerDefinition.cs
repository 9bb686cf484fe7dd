using MnistEvents.ServiceDefaults.Bus;

namespace MnistEvents.Gateway.Realtime;

/// <summary>Each gateway instance hears every training and model event on a queue of its own.</summary>
public sealed class BroadcastConsumerDefinition() : InstanceConsumerDefinition<BroadcastConsumer>("gateway-broadcast");
