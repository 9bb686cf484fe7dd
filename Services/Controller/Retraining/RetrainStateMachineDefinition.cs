using MassTransit;
using MnistEvents.Contracts;
using MnistEvents.ServiceDefaults.Bus;

namespace MnistEvents.Controller.Retraining;

/// <summary>
/// The state machine's own queue, one message at a time. Requests reach it only through the controller's
/// <c>request-retrain</c> consumer, never from the exchanges an outside publisher may write to; its own notes
/// (<see cref="CheckRetrain"/>) and the retrain policy's requests (<see cref="PolicyAsked"/>) are sent here directly. Its messages are published only once its state is written.
/// </summary>
public sealed class RetrainStateMachineDefinition : SagaDefinition<RetrainState>
{
    public const string QueueName = "retrain-state";

    public RetrainStateMachineDefinition()
    {
        EndpointName = QueueName;
        // The endpoint takes this limit too (its definition has none of its own): one message at a time in the queue's
        // order, so a training's end never overtakes the request that began it (RetrainStateMachineTests pins it).
        ConcurrentMessageLimit = 1;
    }

    public static Uri Address => QueueNames.Address(QueueName);

    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpointConfigurator, ISagaConfigurator<RetrainState> sagaConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.ConfigureMessageTopology<RequestRetrain>(false);
        endpointConfigurator.ConfigureMessageTopology<CheckRetrain>(false);
        endpointConfigurator.ConfigureMessageTopology<PolicyAsked>(false);
        // A volume briefly away (a network file system failing over) is worth a few tries before the message faults.
        endpointConfigurator.UseMessageRetry(r => r.Intervals(500, 2000, 5000));
        endpointConfigurator.UseInMemoryOutbox(context);
    }
}
