using MnistEvents.ServiceDefaults.Bus;
using MnistEvents.Trainer.Worker;

namespace MnistEvents.Trainer;

public static class Extensions
{
    /// <summary>The trainer as a worker: consumes <c>RequestRetrain</c>, one training at a time, and publishes its progress and models.</summary>
    public static IHostApplicationBuilder AddTrainerWorker(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<TrainerOptions>(builder.Configuration.GetSection(TrainerOptions.Section));
        builder.Services.AddScoped<TrainingRunner>();
        builder.AddBusRegistration(x => x.AddConsumer<RequestRetrainConsumer>(typeof(RequestRetrainConsumerDefinition)));
        return builder;
    }
}
