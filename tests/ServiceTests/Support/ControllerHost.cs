using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MnistEvents.Contracts;
using MnistEvents.Controller;
using MnistEvents.Controller.Retraining;
using MnistEvents.Controller.Sagas;
using MnistEvents.Registry;
using MnistEvents.ServiceDefaults.Bus;
using MnistEvents.TestSupport;

namespace MnistEvents.ServiceTests.Support;

/// <summary>
/// The controller exactly as <c>AddController()</c> registers it, on MassTransit's in-memory test harness and a model
/// volume the test names: the tests play the trainer, the replicas and the gateway by sending and publishing their
/// messages. A second host on the same volume is the controller after a restart.
/// </summary>
public sealed class ControllerHost : IAsyncDisposable
{
    private readonly IHost host;

    private ControllerHost(IHost host)
    {
        this.host = host;
        Harness = host.Services.GetTestHarness();
        Registry = host.Services.GetRequiredService<ModelRegistry>();
        Trainings = host.Services.GetRequiredService<FileSagaStore<RetrainState>>();
    }

    public ITestHarness Harness { get; }

    public ModelRegistry Registry { get; }

    public FileSagaStore<RetrainState> Trainings { get; }

    /// <param name="time">The controller's clock, when a test moves it itself.</param>
    public static async Task<ControllerHost> StartAsync(string modelPath, TimeProvider? time = null, params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["ModelVolume:ModelPath"] = modelPath;
        builder.Configuration["Controller:SweepSeconds"] = "0.2";
        foreach (var (key, value) in settings) builder.Configuration[key] = value;
        if (time is not null) builder.Services.AddSingleton(time);
        builder.AddController();
        builder.Services.AddMassTransitTestHarness(x => builder.ApplyBusRegistrations(x));
        // What is awaited is read as it stands or polled for: the harness's clock must not end a test.
        builder.Services.Configure<TestHarnessOptions>(o => o.TestTimeout = TimeSpan.FromMinutes(5));
        var host = builder.Build();
        await host.StartAsync();
        return new ControllerHost(host);
    }

    /// <summary>Asks for a retrain as the gateway does, through the <c>request-retrain</c> queue, and returns the controller's answer.</summary>
    public async Task<Response<RetrainAccepted, RetrainRejected>> RequestAsync(RequestRetrain request)
    {
        var client = Harness.Bus.CreateRequestClient<RequestRetrain>(QueueNames.Address(QueueNames.RequestRetrain), RequestTimeout.After(s: 30));
        return await client.GetResponse<RetrainAccepted, RetrainRejected>(request);
    }

    public async Task<Response<ModelActivated, LifecycleCommandRefused>> ActivateAsync(string version)
    {
        var client = Harness.Bus.CreateRequestClient<ActivateModel>(QueueNames.Address(QueueNames.LifecycleCommands), RequestTimeout.After(s: 30));
        return await client.GetResponse<ModelActivated, LifecycleCommandRefused>(new ActivateModel(version, "a test's person"));
    }

    public static RequestRetrain Request(int? epochs = 1, long? shadowPredictions = null) =>
        new(Guid.NewGuid(), epochs, null, null, 500, "a test", DateTimeOffset.UtcNow, ShadowPredictions: shadowPredictions);

    /// <summary>What a trainer reports of its candidate: the gate passed it or not, judged against what serves now.</summary>
    public CandidateJudged Judged(Guid trainingId, string candidate, bool passed, long shadowPredictions = 0) =>
        new(trainingId, candidate, Registry.ActiveVersion, passed, false, passed ? "not worse than the served model" : "worse than the served model",
            0.9, 0.9, 0.9, 0.9, 0.5, 0, null, null, 0, 0, shadowPredictions, 1, DateTimeOffset.UtcNow);

    public Task PublishAsync<T>(T message) where T : class => Harness.Bus.Publish(message);

    /// <summary>Waits until the training's state file says <paramref name="state"/>.</summary>
    public async Task<RetrainState> StateAsync(Guid trainingId, string state)
    {
        await Poll.Until(() => Task.FromResult(Trainings.Find(trainingId)?.CurrentState == state), $"training {trainingId} {state}",
            TimeSpan.FromSeconds(30));
        return Trainings.Find(trainingId)!;
    }

    /// <summary>Every <see cref="RetrainSettled"/> published for the training so far.</summary>
    public List<RetrainSettled> Settled(Guid trainingId) =>
        Harness.PublishedSoFar<RetrainSettled>().Where(m => m.TrainingId == trainingId).ToList();

    public List<StartTraining> Started() => Harness.SentSoFar<StartTraining>();

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }
}
