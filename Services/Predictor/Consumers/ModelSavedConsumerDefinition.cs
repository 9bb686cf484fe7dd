using MnistEvents.ServiceDefaults.Bus;

namespace MnistEvents.Predictor.Consumers;

/// <summary>Every replica gets every <c>ModelSaved</c>: a queue of its own (fan-out, not competing) that goes away with it, one swap at a time.</summary>
public sealed class ModelSavedConsumerDefinition : InstanceConsumerDefinition<ModelSavedConsumer>
{
    public ModelSavedConsumerDefinition() : base("predictor-model-saved") => ConcurrentMessageLimit = 1;
}
