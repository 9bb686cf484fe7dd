using MassTransit;
using MnistEvents.ServiceDefaults.Bus;

namespace MnistEvents.Launcher;

/// <summary>One training at a time, retried a few times while the API server is briefly away before it faults.</summary>
public sealed class StartTrainingJobConsumerDefinition : ConsumerDefinition<StartTrainingJobConsumer>
{
    public StartTrainingJobConsumerDefinition()
    {
        EndpointName = QueueNames.StartTraining;
        ConcurrentMessageLimit = 1;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<StartTrainingJobConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(r => r.Intervals(1000, 5000, 15000));
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit) rabbit.PrefetchCount = 1;
    }
}
