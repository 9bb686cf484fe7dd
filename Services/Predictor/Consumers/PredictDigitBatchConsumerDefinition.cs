using MassTransit;
using Microsoft.Extensions.Options;
using MnistEvents.Predictor.Serving;
using MnistEvents.ServiceDefaults.Bus;

namespace MnistEvents.Predictor.Consumers;

/// <summary>The competing queue of coalesced batches, read once the replica serves a model: a replica takes only as many as it runs at once, so the others get theirs.</summary>
public sealed class PredictDigitBatchConsumerDefinition : ConsumerDefinition<PredictDigitBatchConsumer>
{
    private readonly FirstModelServed firstModel;

    public PredictDigitBatchConsumerDefinition(IOptions<PredictorOptions> options, FirstModelServed firstModel)
    {
        this.firstModel = firstModel;
        EndpointName = QueueNames.PredictDigitBatch;
        ConcurrentMessageLimit = options.Value.BatchConcurrency;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<PredictDigitBatchConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.AddDependency(firstModel);
        endpointConfigurator.UseMessageRetry(r => r.Intervals(200, 1000, 2000));
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit) rabbit.PrefetchCount = (ushort)ConcurrentMessageLimit!.Value;
    }
}
