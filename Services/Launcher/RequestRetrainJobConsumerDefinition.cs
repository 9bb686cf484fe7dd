using MassTransit;
using MnistEvents.ServiceDefaults.Bus;
using MnistEvents.ServiceDefaults.Retraining;

namespace MnistEvents.Launcher;

/// <summary>One request at a time, so two arriving together cannot both see no training running and launch two Jobs.</summary>
public sealed class RequestRetrainJobConsumerDefinition : ConsumerDefinition<RequestRetrainJobConsumer>
{
    public RequestRetrainJobConsumerDefinition()
    {
        EndpointName = QueueNames.RequestRetrain;
        ConcurrentMessageLimit = 1;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<RequestRetrainJobConsumer> consumerConfigurator, IRegistrationContext context)
    {
        // An API server that is briefly away is worth a few tries before the request faults.
        endpointConfigurator.UseMessageRetry(r => r.Intervals(1000, 5000, 15000));
        RetrainRequests.AcceptPlainJson(endpointConfigurator);
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit) rabbit.PrefetchCount = 1;
    }
}
