using MassTransit;
using MnistEvents.Contracts;
using MnistEvents.Predictor.Serving;

namespace MnistEvents.Predictor.Consumers;

/// <summary>Starts or stops shadowing a kept version at once, rather than at the next heartbeat's look at the volume.</summary>
public sealed class ShadowPlanConsumer(ShadowFollower follower) : IConsumer<ShadowStarted>, IConsumer<ShadowStopped>
{
    public Task Consume(ConsumeContext<ShadowStarted> context)
    {
        var message = context.Message;
        follower.Follow(message.Version, message.Sha256, message.SampleRate);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<ShadowStopped> context)
    {
        follower.Stop(context.Message.Version);
        return Task.CompletedTask;
    }
}
