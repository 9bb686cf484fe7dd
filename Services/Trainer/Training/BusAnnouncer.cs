using MassTransit;
using MnistEvents.ServiceDefaults.Bus;

namespace MnistEvents.Trainer.Training;

/// <summary>Publishes a training run's events on the bus, each as its own message type.</summary>
public sealed class BusAnnouncer(IPublishEndpoint publish) : ITrainingAnnouncer
{
    public Task AnnounceAsync(object message, CancellationToken cancellationToken) => publish.PublishEachAsync([message], cancellationToken);
}
