using MnistEvents.ServiceDefaults.Bus;

namespace MnistEvents.Predictor.Consumers;

/// <summary>Every replica shadows: a queue of its own (fan-out) that goes away with it, one change at a time.</summary>
public sealed class ShadowStartedConsumerDefinition : InstanceConsumerDefinition<ShadowStartedConsumer>
{
    public ShadowStartedConsumerDefinition() : base("predictor-shadow") => ConcurrentMessageLimit = 1;
}
