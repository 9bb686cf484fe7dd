using MassTransit;
using MnistEvents.Contracts;
using MnistEvents.Registry;
using MnistEvents.ServiceDefaults.Bus;

namespace MnistEvents.Controller.Models;

/// <summary>
/// A person shadowing a kept version, or stopping (rate 0): the store's plan replaced, and a candidate that was waiting on
/// the plan it replaces superseded. Answers with the <see cref="ShadowStarted"/> or <see cref="ShadowStopped"/>, or a refusal.
/// </summary>
public sealed class ShadowModelConsumer(ModelRegistry registry, ShadowBoard shadows, TimeProvider time) : IConsumer<ShadowModel>
{
    public async Task Consume(ConsumeContext<ShadowModel> context)
    {
        var (version, rate, by) = (context.Message.Version, context.Message.SampleRate, context.Message.RequestedBy);
        if (rate is < 0 or > 1 || !double.IsFinite(rate))
        {
            await context.RespondAsync(new LifecycleCommandRefused(LifecycleCommandRefused.Invalid, "sampleRate is the share of batches to shadow, from 0 (stop) to 1."));
            return;
        }
        if (registry.Find(version) is not { } manifest)
        {
            await context.RespondAsync(KeptVersions.NotFound(registry, version));
            return;
        }
        var plan = rate > 0 ? new ShadowPlan(manifest.Version, manifest.Sha256, rate, null, by, time.GetUtcNow()) : null;
        RegistryChange change;
        try
        {
            change = registry.ReplaceShadow(plan, plan is not null ? $"{manifest.Version} was shadowed in its place ({by})" : $"its shadowing was stopped ({by})", by,
                registry.Shadow is { } current ? shadows.View(current.Version)?.Comparison() : null);
        }
        catch (RegistryException e)
        {
            await context.RespondAsync(new LifecycleCommandRefused(LifecycleCommandRefused.Conflict, $"The model store cannot switch now: {e.Message}"));
            return;
        }
        await context.PublishEachAsync(change.Events);
        // A stop with nothing shadowed changed nothing: the answer says so in the same shape.
        switch (change.Events.LastOrDefault(e => e is ShadowStarted or ShadowStopped))
        {
            case ShadowStarted started:
                await context.RespondAsync(started);
                break;
            case ShadowStopped stopped:
                await context.RespondAsync(stopped);
                break;
            default:
                await context.RespondAsync(RegistryEvents.Stopped(manifest.Version, by, time.GetUtcNow()));
                break;
        }
    }
}
