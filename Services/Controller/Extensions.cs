using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MnistEvents.Controller.Drift;
using MnistEvents.Controller.Models;
using MnistEvents.Controller.Policy;
using MnistEvents.Controller.Retraining;
using MnistEvents.Controller.Sagas;
using MnistEvents.Registry;
using MnistEvents.ServiceDefaults.Bus;

namespace MnistEvents.Controller;

public static class Extensions
{
    /// <summary>
    /// The controller, the lifecycle's one owner: the retrain state machine (its state in files on the model volume), the
    /// <c>request-retrain</c> intake, a person's activation and shadowing and review of corrections, the sweep that is the
    /// machine's clock, the live digits' drift over every replica's reports, and the retrain policy.
    /// </summary>
    public static IHostApplicationBuilder AddController(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ControllerOptions>().BindConfiguration(ControllerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.AddModelVolume();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => new FileSagaStore<RetrainState>(sp.GetRequiredService<ModelVolume>().RetrainsDirectory,
            sp.GetRequiredService<IOptions<ControllerOptions>>().Value.KeptTrainings, t => t.Ended));
        // One board per process: in the all-in-one the gateway's, fed by the same reports, serves both.
        builder.Services.TryAddSingleton(sp =>
            new ShadowBoard(TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<ControllerOptions>>().Value.ReplicaExpirySeconds), sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<RetrainLifecycle>();
        builder.Services.AddOptions<DriftOptions>().BindConfiguration(DriftOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<DriftMonitor>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DriftMonitor>());
        builder.Services.AddOptions<RetrainPolicyOptions>().BindConfiguration(RetrainPolicyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<TrustedCorrections>();
        builder.Services.AddSingleton<CorrectionsScoring>();
        builder.Services.AddSingleton<RetrainPolicy>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RetrainPolicy>());
        builder.Services.AddSingleton<RetrainSweep>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RetrainSweep>());
        builder.Services.AddHostedService<FirstModelRequest>();
        builder.AddBusRegistration(x =>
        {
            x.AddSagaStateMachine<RetrainStateMachine, RetrainState>(typeof(RetrainStateMachineDefinition)).FileRepository();
            x.AddConsumer<RequestRetrainConsumer>(typeof(RequestRetrainConsumerDefinition));
            x.AddConsumer<ActivateModelConsumer>(typeof(LifecycleCommandsDefinition<ActivateModelConsumer>));
            x.AddConsumer<ShadowModelConsumer>(typeof(LifecycleCommandsDefinition<ShadowModelConsumer>));
            x.AddConsumer<ReviewCorrectionConsumer>(typeof(LifecycleCommandsDefinition<ReviewCorrectionConsumer>));
            x.AddConsumer<ReplicaReportsConsumer>(typeof(ReplicaReportsConsumerDefinition));
        });
        return builder;
    }
}
