using System.Text.Json;
using MassTransit;
using MnistEvents.TestSupport;

namespace MnistEvents.RabbitMqTests;

/// <summary>
/// The real local topology: a private rabbitmq-server node (scripts/rabbitmq.sh), a fresh virtual host, three predictor
/// processes, the gateway and the trainer worker, each its own process configured only through environment variables.
/// </summary>
public sealed class Topology : IAsyncLifetime
{
    public const string AdminToken = "rabbitmq-suite-token";

    private bool startedBroker;

    public string VirtualHost { get; } = $"mnist-test-{Guid.NewGuid():N}"[..20];

    public string WorkDirectory { get; } = TestData.TempDirectory();

    public string ModelPath => Path.Combine(WorkDirectory, "models", "mnist.pt");

    public List<ServiceProcess> Predictors { get; } = [];

    public ServiceProcess Gateway { get; private set; } = null!;

    public ServiceProcess Trainer { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;


    public async Task InitializeAsync()
    {
        startedBroker = await Broker.Node.StartAsync();
        await Broker.Node.CtlAsync("add_vhost", VirtualHost);
        await Broker.Node.CtlAsync("set_permissions", "-p", VirtualHost, "guest", ".*", ".*", ".*");

        Directory.CreateDirectory(Path.GetDirectoryName(ModelPath)!);
        File.Copy(TestData.Fixture("seed_mlp.pt"), ModelPath);

        for (var i = 0; i < 3; i++) Predictors.Add(Service($"predictor-{i}", "Predictor", [], new() { ["ModelVolume__ModelPath"] = ModelPath }));
        Gateway = Service("gateway", "Gateway", [], new()
        {
            ["Gateway__AdminToken"] = AdminToken,
            ["Gateway__PredictionTimeoutSeconds"] = "30",
            // One client sending as fast as it can (a faster path made that > 100/s): the limit itself is tested in OverloadTests.
            ["Gateway__PredictionRequestsPerSecondPerClient"] = "0",
            ["ModelVolume__ModelPath"] = ModelPath,
        });
        Trainer = Service("trainer", "Trainer", ["worker"], new()
        {
            ["ModelVolume__ModelPath"] = ModelPath,
            ["Trainer__ValidationUploads"] = "200", // the gate's set, small: the suite trains twice
            ["Trainer__ShadowSampleRate"] = "1", // a candidate waiting on shadowing is compared on every batch
            ["Trainer__DataDirectory"] = Path.Combine(Repository.Root, "data", "mnist"),
        });
        Http = new HttpClient { BaseAddress = Gateway.Url, Timeout = TimeSpan.FromSeconds(60) };

        foreach (var service in Predictors.Append(Gateway).Append(Trainer)) service.Start();
        foreach (var service in Predictors.Append(Gateway).Append(Trainer)) await WaitReadyAsync(service);
        await Poll.Until(async () => (await ModelsAsync()).GetProperty("replicas").GetArrayLength() == 3, "all three replicas reported to the gateway");
    }

    public Task WaitReadyAsync(ServiceProcess service) => service.WaitReadyAsync();

    public async Task<JsonElement> ModelsAsync() => JsonDocument.Parse(await Http.GetStringAsync("/models")).RootElement;

    /// <summary>A bus client of the test's own, on the suite's virtual host.</summary>
    public Task<IBusControl> StartBusAsync() => Broker.Node.StartBusAsync(VirtualHost);

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        foreach (var service in Predictors.Append(Gateway).Append(Trainer)) service?.Dispose();
        await Broker.Node.CtlAsync("delete_vhost", VirtualHost);
        if (startedBroker) await Broker.Node.StopAsync();
    }

    private ServiceProcess Service(string name, string project, string[] arguments, Dictionary<string, string> environment) =>
        Broker.Node.Service(name, project, arguments, environment, VirtualHost, WorkDirectory);
}
