using MnistEvents.ServiceDefaults.Bus;

namespace MnistEvents.Gateway.Replicas;

/// <summary>Each gateway instance hears every replica announcement on a queue of its own.</summary>
public sealed class ReplicaEventsConsumerDefinition() : InstanceConsumerDefinition<ReplicaEventsConsumer>("gateway-replica-events");
