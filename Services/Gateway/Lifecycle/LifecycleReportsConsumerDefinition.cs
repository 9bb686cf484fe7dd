using MnistEvents.ServiceDefaults.Bus;

namespace MnistEvents.Gateway.Lifecycle;

/// <summary>Each gateway instance hears every report on a queue of its own.</summary>
public sealed class LifecycleReportsConsumerDefinition() : InstanceConsumerDefinition<LifecycleReportsConsumer>("gateway-lifecycle-reports");
