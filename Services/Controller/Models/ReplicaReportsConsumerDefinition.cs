using MnistEvents.ServiceDefaults.Bus;

namespace MnistEvents.Controller.Models;

/// <summary>Reports are fresh or useless: a queue that goes with the controller, not one that piles up while it is away.</summary>
public sealed class ReplicaReportsConsumerDefinition() : InstanceConsumerDefinition<ReplicaReportsConsumer>("controller-replica-reports");
