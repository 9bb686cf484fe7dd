using MassTransit;
using Microsoft.Extensions.Options;
using MnistEvents.Predictor.Serving;
using MnistEvents.ServiceDefaults.Bus;

namespace MnistEvents.Predictor.Consumers;

/// <summary>The competing-consumer queue every replica reads once it serves a model, and how commands are batched into forward passes.</summary>
public sealed class PredictDigitConsumerDefinition : ConsumerDefinition<PredictDigitConsumer>
{
    private readonly PredictorOptions options;
    private readonly FirstModelServed firstModel;

    public PredictDigitConsumerDefinition(IOptions<PredictorOptions> options, FirstModelServed firstModel)
    {
        this.options = options.Value;
        this.firstModel = firstModel;
        EndpointName = QueueNames.PredictDigit;
        // Enough messages in hand to fill every concurrent batch.
        ConcurrentMessageLimit = this.options.BatchMaxSize * this.options.BatchConcurrency;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<PredictDigitConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.AddDependency(firstModel);
        endpointConfigurator.UseMessageRetry(r => r.Intervals(200, 1000, 2000));
        consumerConfigurator.Options<BatchOptions>(batch => batch
            .SetMessageLimit(options.BatchMaxSize)
            .SetTimeLimit(TimeSpan.FromMilliseconds(options.BatchMaxWaitMs))
            .SetConcurrencyLimit(options.BatchConcurrency));
    }
}
