using MnistEvents.ServiceDefaults.Bus;

namespace MnistEvents.Predictor.Consumers;

/// <summary>Every replica gets every <c>ModelActivated</c>: a queue of its own (fan-out, not competing) that goes away with it, one swap at a time.</summary>
public sealed class ModelActivatedConsumerDefinition : InstanceConsumerDefinition<ModelActivatedConsumer>
{
    public ModelActivatedConsumerDefinition() : base("predictor-model-activated") => ConcurrentMessageLimit = 1;
}
