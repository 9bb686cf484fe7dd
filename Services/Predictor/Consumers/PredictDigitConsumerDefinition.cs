using MassTransit;
using Microsoft.Extensions.Options;
using MnistEvents.ServiceDefaults.Bus;

namespace MnistEvents.Predictor.Consumers;

/// <summary>The competing-consumer queue every replica reads, and how commands are batched into forward passes.</summary>
public sealed class PredictDigitConsumerDefinition : ConsumerDefinition<PredictDigitConsumer>
{
    private readonly PredictorOptions options;

    public PredictDigitConsumerDefinition(IOptions<PredictorOptions> options)
    {
        this.options = options.Value;
        EndpointName = QueueNames.PredictDigit;
        // Enough messages in hand to fill every concurrent batch.
        ConcurrentMessageLimit = this.options.BatchMaxSize * this.options.BatchConcurrency;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<PredictDigitConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(r => r.Intervals(200, 1000, 2000));
        consumerConfigurator.Options<BatchOptions>(batch => batch
            .SetMessageLimit(options.BatchMaxSize)
            .SetTimeLimit(TimeSpan.FromMilliseconds(options.BatchMaxWaitMs))
            .SetConcurrencyLimit(options.BatchConcurrency));
    }
}
