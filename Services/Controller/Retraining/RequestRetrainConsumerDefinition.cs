using MassTransit;
using MnistEvents.ServiceDefaults.Bus;
using MnistEvents.ServiceDefaults.Retraining;

namespace MnistEvents.Controller.Retraining;

/// <summary>
/// The <c>request-retrain</c> queue, which outside publishers may write to: it takes <c>RequestRetrain</c> alone, in
/// MassTransit's envelope or as the command's JSON, so nothing published there can pose as another of the lifecycle's events.
/// </summary>
public sealed class RequestRetrainConsumerDefinition : ConsumerDefinition<RequestRetrainConsumer>
{
    public RequestRetrainConsumerDefinition() => EndpointName = QueueNames.RequestRetrain;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<RequestRetrainConsumer> consumerConfigurator, IRegistrationContext context) =>
        RetrainRequests.AcceptPlainJson(endpointConfigurator);
}
