using MassTransit;
using MnistEvents.Contracts;

namespace MnistEvents.Gateway.Replicas;

/// <summary>Feeds the <see cref="ReplicaRegistry"/> from every replica's announcements.</summary>
public sealed class ReplicaEventsConsumer(ReplicaRegistry registry)
    : IConsumer<ModelLoaded>, IConsumer<ReplicaReported>, IConsumer<ModelRejected>
{
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
