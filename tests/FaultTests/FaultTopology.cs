using System.Text.Json;
using MnistEvents.TestSupport;

namespace MnistEvents.FaultTests;

/// <summary>
/// The topology the faults are injected into: a rabbitmq-server node of the suite's own (port 5677, so restarting it
/// disturbs no other suite), three predictor processes sharing one model volume, and the gateway.
/// </summary>
public sealed class FaultTopology : IAsyncLifetime
{
    public const string VirtualHost = "mnist-faults";

    public const string AdminToken = "fault-suite-token";

    public RabbitMqNode Broker { get; } = new(5677);

    public string WorkDirectory { get; } = TestData.TempDirectory();

    public string ModelPath => Path.Combine(WorkDirectory, "models", "mnist.pt");

    public List<ServiceProcess> Predictors { get; } = [];

    public ServiceProcess Gateway { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Broker.StartAsync();
        await Broker.CtlAsync("add_vhost", VirtualHost);
        await Broker.CtlAsync("set_permissions", "-p", VirtualHost, "guest", ".*", ".*", ".*");

        Directory.CreateDirectory(Path.GetDirectoryName(ModelPath)!);
        File.Copy(TestData.Fixture("seed_mlp.pt"), ModelPath);
        for (var i = 0; i < 3; i++) Predictors.Add(Predictor($"predictor-{i}", ModelPath));
        Gateway = GatewayService("gateway");
        Http = Load.Client(Gateway);

        foreach (var service in Predictors.Append(Gateway)) service.Start();
        foreach (var service in Predictors.Append(Gateway)) await service.WaitReadyAsync();
        await Poll.Until(async () => Replicas(await ModelsAsync()).Count == 3, "all three replicas reported to the gateway");
        ServedAtStart = Replicas(await ModelsAsync()).Values.OfType<string>().Distinct().Single();
    }

    /// <summary>The model every replica serves when the suite starts; every fault must end with it still served.</summary>
    public string ServedAtStart { get; private set; } = "";

    /// <summary>A gateway instance on the shared volume (async results), without the per-client limit (the load is one client).</summary>
    public ServiceProcess GatewayService(string name, Dictionary<string, string>? settings = null)
    {
        var environment = new Dictionary<string, string>(settings ?? [])
        {
            ["Gateway__PredictionRequestsPerSecondPerClient"] = "0",
            ["ModelVolume__ModelPath"] = ModelPath,
            ["Gateway__AdminToken"] = AdminToken,
        };
        return Service(name, "Gateway", environment);
    }

    public ServiceProcess Predictor(string name, string modelPath) =>
        Service(name, "Predictor", new() { ["ModelVolume__ModelPath"] = modelPath, ["Predictor__TorchThreads"] = "1" });

    public ServiceProcess Service(string name, string project, Dictionary<string, string> environment) =>
        Broker.Service(name, project, [], environment, VirtualHost, WorkDirectory);

    public async Task<JsonElement> ModelsAsync() => JsonDocument.Parse(await Http.GetStringAsync("/models")).RootElement;

    /// <summary>Replica name → the version it serves, as the gateway last heard.</summary>
    public static Dictionary<string, string?> Replicas(JsonElement models) => models.GetProperty("replicas").EnumerateArray()
        .ToDictionary(r => r.GetProperty("replica").GetString()!, r => r.GetProperty("modelVersion").GetString());

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        foreach (var service in Predictors.Append(Gateway)) service?.Dispose();
        await Broker.StopAsync();
    }
}
