using MassTransit;

namespace MnistEvents.ServiceDefaults.Bus;

public static class EventPublishing
{
    /// <summary>
    /// Publishes each message as its own message type, in order: the one way a list of events typed only as
    /// <see cref="object"/> (what a change to the model store implies, a training run's announcements) reaches the bus.
    /// Published as <c>object</c>, MassTransit would route them to no one.
    /// </summary>
    public static async Task PublishEachAsync(this IPublishEndpoint publish, IEnumerable<object> messages, CancellationToken cancellationToken = default)
    {
        foreach (var message in messages) await publish.Publish(message, message.GetType(), cancellationToken);
    }
}
