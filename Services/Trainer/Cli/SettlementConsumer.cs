using MassTransit;
using MnistEvents.Contracts;

namespace MnistEvents.Trainer.Cli;

/// <summary>The command line's ear on its own in-process bus: what its controller decided (<see cref="Settlement"/>).</summary>
public sealed class SettlementConsumer(Settlement settlement) :
    IConsumer<PromotionDecided>, IConsumer<ModelActivated>, IConsumer<ShadowStarted>, IConsumer<RetrainSettled>
{
    public Task Consume(ConsumeContext<PromotionDecided> context) => Heard(context.Message);

    public Task Consume(ConsumeContext<ModelActivated> context) => Heard(context.Message);

    public Task Consume(ConsumeContext<ShadowStarted> context) => Heard(context.Message);

    public Task Consume(ConsumeContext<RetrainSettled> context) => Heard(context.Message);

    private Task Heard(object message)
    {
        settlement.Heard(message);
        return Task.CompletedTask;
    }
}
