using MnistEvents.ServiceDefaults.Bus;

namespace MnistEvents.Predictor.Consumers;

/// <summary>Every replica shadows: a queue of its own (fan-out) that goes away with it, one change at a time.</summary>
public sealed class ShadowPlanConsumerDefinition : InstanceConsumerDefinition<ShadowPlanConsumer>
{
    public ShadowPlanConsumerDefinition() : base("predictor-shadow") => ConcurrentMessageLimit = 1;
}
