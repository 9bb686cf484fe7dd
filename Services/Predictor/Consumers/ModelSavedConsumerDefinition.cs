using MassTransit;
using MnistEvents.ServiceDefaults;

namespace MnistEvents.Predictor.Consumers;

/// <summary>Every replica gets every <c>ModelSaved</c>: a queue of its own (fan-out, not competing) that goes away with it.</summary>
public sealed class ModelSavedConsumerDefinition : ConsumerDefinition<ModelSavedConsumer>
{
    public ModelSavedConsumerDefinition()
    {
        Endpoint(e =>
        {
            e.Name = $"predictor-model-saved-{ReplicaIdentity.Current}";
            e.Temporary = true;
            e.ConcurrentMessageLimit = 1;
        });
    }
}
