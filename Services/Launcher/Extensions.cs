using k8s;
using Microsoft.Extensions.Options;
using MnistEvents.ServiceDefaults.Bus;

namespace MnistEvents.Launcher;

public static class Extensions
{
    /// <summary>The training launcher: the Kubernetes client (in-cluster, or <c>Launcher:ApiServer</c>), the Job factory and watcher, and the consumer of the controller's trainings.</summary>
    public static IHostApplicationBuilder AddLauncher(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<LauncherOptions>().BindConfiguration(LauncherOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IKubernetes>(sp => sp.GetRequiredService<IOptions<LauncherOptions>>().Value.ApiServer is { } server
            ? new Kubernetes(new KubernetesClientConfiguration { Host = server })
            : new Kubernetes(KubernetesClientConfiguration.InClusterConfig()));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<TrainingJobs>();
        builder.Services.AddSingleton<JobWatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<JobWatcher>());
        builder.AddBusRegistration(x => x.AddConsumer<StartTrainingJobConsumer>(typeof(StartTrainingJobConsumerDefinition)));
        return builder;
    }
}
