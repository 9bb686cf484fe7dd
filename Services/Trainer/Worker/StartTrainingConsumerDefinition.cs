using MassTransit;
using MnistEvents.ServiceDefaults.Bus;

namespace MnistEvents.Trainer.Worker;

/// <summary>The controller's trainings, one message at a time, into the journal.</summary>
public sealed class StartTrainingConsumerDefinition : ConsumerDefinition<StartTrainingConsumer>
{
    public StartTrainingConsumerDefinition()
    {
        EndpointName = QueueNames.StartTraining;
        ConcurrentMessageLimit = 1;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<StartTrainingConsumer> consumerConfigurator, IRegistrationContext context)
    {
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit) rabbit.PrefetchCount = 1;
    }
}
