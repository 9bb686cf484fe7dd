using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MnistEvents.Registry;
using MnistEvents.ServiceDefaults.Bus;
using MnistEvents.Trainer.Worker;

namespace MnistEvents.Trainer;

public static class Extensions
{
    /// <summary>The trainer as a worker: takes the controller's <c>StartTraining</c> into its journal, trains them one at a time, and publishes progress, models and its judgements.</summary>
    public static IHostApplicationBuilder AddTrainerWorker(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TrainerOptions>().BindConfiguration(TrainerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TrainerOptions>, MovedTrainerSettings>();
        builder.AddModelVolume();
        builder.Services.AddSingleton<TrainingJournal>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHostedService<TrainingWorker>();
        builder.AddBusRegistration(x => x.AddConsumer<StartTrainingConsumer>(typeof(StartTrainingConsumerDefinition)));
        return builder;
    }
}
