using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
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

    private ControllerHost(IHost host, CapturedLogs logs)
    {
        this.host = host;
        Logs = logs;
        Harness = host.Services.GetTestHarness();
        Registry = host.Services.GetRequiredService<ModelRegistry>();
        Trainings = host.Services.GetRequiredService<FileSagaStore<RetrainState>>();
    }

    public ITestHarness Harness { get; }

    /// <summary>Every line it logged.</summary>
    public CapturedLogs Logs { get; }

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
        var logs = new CapturedLogs();
        builder.Services.AddSingleton<ILoggerProvider>(logs);
        builder.AddController();
        builder.Services.AddMassTransitTestHarness(x => builder.ApplyBusRegistrations(x));
        // What is awaited is read as it stands or polled for: the harness's clock must not end a test.
        builder.Services.Configure<TestHarnessOptions>(o => o.TestTimeout = TimeSpan.FromMinutes(5));
        var host = builder.Build();
        await host.StartAsync();
        // MassTransit keeps the bus's log context in an async-local, set where the bus is first made: here, in this
        // async method's own flow, not the test's, where a later host (a restart) would find this one's, disposed.
        var controller = new ControllerHost(host, logs);
        _ = controller.Harness.Bus;
        return controller;
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

    public async Task PublishAsync<T>(T message) where T : class => await Harness.Bus.Publish(message);

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

    /// <summary>
    /// The training's <see cref="RetrainSettled"/> events once there is one: published after its state is written (the
    /// state machine's outbox), so a moment after the state file says it ended.
    /// </summary>
    public async Task<List<RetrainSettled>> SettledAsync(Guid trainingId)
    {
        await Poll.Until(() => Task.FromResult(Settled(trainingId).Count > 0), $"training {trainingId}'s RetrainSettled", TimeSpan.FromSeconds(30));
        return Settled(trainingId);
    }

    public List<StartTraining> Started() => Harness.SentSoFar<StartTraining>();

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }
}
