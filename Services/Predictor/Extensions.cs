using MnistEvents.Model.Inference;
using MnistEvents.Predictor.Consumers;
using MnistEvents.Predictor.Serving;
using MnistEvents.Registry;
using MnistEvents.ServiceDefaults.Bus;

namespace MnistEvents.Predictor;

public static class Extensions
{
    /// <summary>The predictor replica: model holder and loader, readiness on having a model, its metrics and consumers.</summary>
    public static IHostApplicationBuilder AddPredictor(this IHostApplicationBuilder builder)
    {
        // Before the host starts its threads: an arena limit binds only arenas not yet made.
        if (builder.Configuration.GetValue($"{PredictorOptions.Section}:{nameof(PredictorOptions.MallocArenas)}", PredictorOptions.DefaultMallocArenas) is > 0 and var arenas)
            NativeAllocator.KeepFreedMemory(arenas);
        builder.Services.AddOptions<PredictorOptions>().BindConfiguration(PredictorOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.AddModelVolume();
        builder.Services.AddSingleton<ModelHolder>();
        builder.Services.AddSingleton<FirstModelServed>();
        builder.Services.AddSingleton<ModelSwapper>();
        builder.Services.AddSingleton<PredictorMetrics>();
        builder.Services.AddSingleton<KeptVersions>();
        builder.Services.AddSingleton<BatchPredictor>();
        builder.Services.AddSingleton<InferenceThreads>();
        builder.Services.AddSingleton<ShadowRunner>();
        builder.Services.AddSingleton<LiveInputs>();
        builder.Services.AddSingleton<ShadowFollower>();
        builder.Services.AddHostedService<ReplicaHeartbeat>();
        builder.Services.AddHealthChecks().AddCheck<ModelReadinessCheck>("model");
        builder.AddBusRegistration(x =>
        {
            x.AddConsumer<PredictDigitBatchConsumer>(typeof(PredictDigitBatchConsumerDefinition));
            x.AddConsumer<ModelActivatedConsumer>(typeof(ModelActivatedConsumerDefinition));
            x.AddConsumer<ShadowPlanConsumer>(typeof(ShadowPlanConsumerDefinition));
        });
        return builder;
    }
}
