using MassTransit;
using MnistEvents.Contracts;
using MnistEvents.Registry;

namespace MnistEvents.Controller.Models;

/// <summary>
/// Every replica's shadow report, counted on the controller's <see cref="ShadowBoard"/>: what shadowing showed is kept
/// with a version when its plan ends, whoever ends it. (A candidate waiting on its shadowing also gets each report through
/// its training's state machine, which settles it.)
/// </summary>
public sealed class ShadowReportsConsumer(ShadowBoard shadows) : IConsumer<ShadowReported>
{
    public Task Consume(ConsumeContext<ShadowReported> context)
    {
        shadows.Reported(context.Message);
        return Task.CompletedTask;
    }
}
