using MassTransit;
using MnistEvents.Registry;

namespace MnistEvents.Gateway.Models;

public static class RegistryChangePublishing
{
    /// <summary>
    /// Publishes what a change to the model store implies, each event as its own message type, in order: the one way
    /// the gateway announces activations, verdicts and shadow plans (the trainer's runner announces its own changes'
    /// events through its announcer, the same list).
    /// </summary>
    public static async Task PublishAsync(this IPublishEndpoint publish, RegistryChange change, CancellationToken cancellationToken)
    {
        foreach (var message in change.Events) await publish.Publish(message, message.GetType(), cancellationToken);
    }
}
