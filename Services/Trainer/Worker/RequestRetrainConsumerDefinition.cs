using MassTransit;
using MnistEvents.ServiceDefaults.Bus;
using MnistEvents.ServiceDefaults.Retraining;

namespace MnistEvents.Trainer.Worker;

/// <summary>One training at a time per worker: the next request stays queued (durably, on RabbitMQ) until this one ends.</summary>
public sealed class RequestRetrainConsumerDefinition : ConsumerDefinition<RequestRetrainConsumer>
{
    public RequestRetrainConsumerDefinition()
    {
        EndpointName = QueueNames.RequestRetrain;
        ConcurrentMessageLimit = 1;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<RequestRetrainConsumer> consumerConfigurator, IRegistrationContext context)
    {
        RetrainRequests.AcceptPlainJson(endpointConfigurator);
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit) rabbit.PrefetchCount = 1;
    }
}
