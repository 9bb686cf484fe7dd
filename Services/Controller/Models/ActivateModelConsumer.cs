using MassTransit;
using MnistEvents.Contracts;
using MnistEvents.Registry;
using MnistEvents.ServiceDefaults.Bus;

namespace MnistEvents.Controller.Models;

/// <summary>
/// A person serving a kept version (a rollback, or a candidate promoted by hand): the store activates it, and in the same
/// step settles a candidate waiting on its shadowing (promoted if it is that one, superseded if not). Answers with the
/// <see cref="ModelActivated"/>, or a refusal that says why.
/// </summary>
public sealed class ActivateModelConsumer(ModelRegistry registry, ShadowBoard shadows, ILogger<ActivateModelConsumer> logger) : IConsumer<ActivateModel>
{
    public async Task Consume(ConsumeContext<ActivateModel> context)
    {
        var (version, by) = (context.Message.Version, context.Message.RequestedBy);
        if (registry.Find(version) is null)
        {
            await context.RespondAsync(KeptVersions.NotFound(registry, version));
            return;
        }
        RegistryChange change;
        try
        {
            change = registry.Activate(version, by, shadowed: registry.Shadow is { } plan ? shadows.View(plan.Version)?.Comparison() : null);
        }
        catch (RegistryException e)
        {
            await context.RespondAsync(new LifecycleCommandRefused(LifecycleCommandRefused.Conflict, $"The model store cannot switch now: {e.Message}"));
            return;
        }
        logger.LogInformation("Activated model {ModelVersion} (was {PreviousVersion}), asked by {RequestedBy}", version, change.Activation!.Previous, by);
        await context.PublishEachAsync(change.Events);
        await context.RespondAsync(change.Events.OfType<ModelActivated>().Single());
    }
}
