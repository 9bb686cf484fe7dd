using MassTransit;
using MnistEvents.Contracts;
using MnistEvents.Controller.Drift;
using MnistEvents.Registry;

namespace MnistEvents.Controller.Models;

/// <summary>
/// Every replica's heartbeat and shadow report: what its live digits look like (for the <see cref="DriftMonitor"/>), and
/// how a shadowed version compares (the <see cref="ShadowBoard"/>, whose count is kept with a version when its plan ends,
/// whoever ends it). A candidate waiting on its shadowing also gets each shadow report through its training's state
/// machine, which settles it.
/// </summary>
public sealed class ReplicaReportsConsumer(ShadowBoard shadows, DriftMonitor drift) : IConsumer<ShadowReported>, IConsumer<ReplicaReported>
{
    public Task Consume(ConsumeContext<ShadowReported> context)
    {
        shadows.Reported(context.Message);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<ReplicaReported> context)
    {
        drift.Reported(context.Message);
        return Task.CompletedTask;
    }
}
