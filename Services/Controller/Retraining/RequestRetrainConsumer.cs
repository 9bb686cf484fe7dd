using MassTransit;
using MnistEvents.Contracts;
using MnistEvents.ServiceDefaults.Retraining;

namespace MnistEvents.Controller.Retraining;

/// <summary>
/// The way in for retrain requests, from the gateway, the retrain policy and any AMQP publisher (README, "Retraining
/// from any AMQP client"): fills in what a plain publisher may leave out, then hands the request to the
/// <see cref="RetrainStateMachine"/>, whose answer goes to whoever asked (the request's response address travels with it).
/// </summary>
public sealed class RequestRetrainConsumer(TimeProvider time) : IConsumer<RequestRetrain>
{
    public Task Consume(ConsumeContext<RequestRetrain> context) =>
        context.Forward(RetrainStateMachineDefinition.Address, RetrainRequests.Of(context, time));
}
