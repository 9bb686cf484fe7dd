using k8s.Models;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MnistEvents.Contracts;
using MnistEvents.KubernetesTests.Support;
using MnistEvents.Launcher;
using MnistEvents.ServiceDefaults.Bus;

namespace MnistEvents.KubernetesTests.Launcher;

/// <summary>
/// The launcher exactly as <c>AddLauncher()</c> registers it, on MassTransit's test harness, talking to a fake API
/// server that holds k8s/'s own rendered template CronJob.
/// </summary>
public sealed class LauncherHost : IAsyncDisposable
{
    public const string Namespace = "mnist";

    private readonly IHost host;

    private LauncherHost(IHost host, FakeKubernetesApi api, V1CronJob template)
    {
        this.host = host;
        Api = api;
        Template = template;
        Harness = host.Services.GetTestHarness();
        Watcher = host.Services.GetRequiredService<JobWatcher>();
    }

    public FakeKubernetesApi Api { get; }

    public V1CronJob Template { get; }

    public ITestHarness Harness { get; }

    public JobWatcher Watcher { get; }

    /// <param name="before">Runs on the fake API before the launcher starts (Jobs already running, say).</param>
    public static async Task<LauncherHost> StartAsync(Action<FakeKubernetesApi>? before = null)
    {
        var api = await FakeKubernetesApi.StartAsync();
        var template = Manifests.Of("k8s").Single<V1CronJob>("trainer-template");
        api.CronJobs[template.Metadata.Name] = template;
        before?.Invoke(api);

        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["Launcher:ApiServer"] = api.Url.ToString();
        builder.Configuration["Launcher:Namespace"] = Namespace;
        builder.Configuration["Launcher:TemplateName"] = template.Metadata.Name;
        builder.Configuration["Launcher:PollSeconds"] = "0.1";
        builder.Configuration["Launcher:StartTimeoutSeconds"] = "60";
        builder.AddLauncher();
        builder.Services.AddMassTransitTestHarness(x => builder.ApplyBusRegistrations(x));
        // What the tests wait for follows the watcher's calls to the API server, not bus traffic: the harness's
        // "quiet for this long" must outlast a slow first call (seen failing at the default on a loaded machine).
        builder.Services.Configure<TestHarnessOptions>(o => o.TestInactivityTimeout = TimeSpan.FromSeconds(10));
        var host = builder.Build();
        await host.StartAsync();
        return new LauncherHost(host, api, template);
    }

    /// <summary>Sends the controller's command, as the controller would, and waits until it is consumed.</summary>
    public async Task RequestAsync(StartTraining request)
    {
        var endpoint = await Harness.Bus.GetSendEndpoint(QueueNames.Address(QueueNames.StartTraining));
        await endpoint.Send(request);
        Assert.True(await Harness.Consumed.Any<StartTraining>(c => c.Context.Message.TrainingId == request.TrainingId));
    }

    public static StartTraining Request(int? epochs = null, int? limit = null, double? learningRate = null, int? batchSize = null) =>
        new(Guid.NewGuid(), epochs, batchSize, learningRate, limit, "test", DateTimeOffset.UtcNow, false, null);

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
        await Api.DisposeAsync();
    }
}
