using MassTransit;
using MnistEvents.Contracts;
using MnistEvents.Registry;

namespace MnistEvents.Gateway.Replicas;

/// <summary>Feeds the <see cref="ReplicaRegistry"/> and the <see cref="ShadowBoard"/> from every replica's announcements.</summary>
public sealed class ReplicaEventsConsumer(ReplicaRegistry registry, ShadowBoard shadows)
    : IConsumer<ModelLoaded>, IConsumer<ReplicaReported>, IConsumer<ModelRejected>, IConsumer<ShadowReported>
{
    public Task Consume(ConsumeContext<ShadowReported> context)
    {
        shadows.Reported(context.Message);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<ModelLoaded> context)
    {
        registry.Loaded(context.Message);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<ReplicaReported> context)
    {
        registry.Reported(context.Message);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<ModelRejected> context)
    {
        registry.Rejected(context.Message);
        return Task.CompletedTask;
    }
}
