using MnistEvents.ServiceDefaults.Bus;

namespace MnistEvents.Gateway.Retraining;

/// <summary>Each gateway instance hears every training's events on a queue of its own.</summary>
public sealed class TrainingActivityConsumerDefinition() : InstanceConsumerDefinition<TrainingActivityConsumer>("gateway-training-activity");
