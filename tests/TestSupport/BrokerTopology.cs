using Xunit;

using System.Text.Json;

namespace MnistEvents.TestSupport;

/// <summary>
/// The one definition of the services on a real broker that the RabbitMQ, least-privilege and fault suites start: a model
/// volume holding the seed's model, the predictor processes, the gateway, the controller and (unless a suite does
/// without) the trainer worker, each its own process configured only through environment variables, all on one virtual host. A suite
/// prepares the broker its own way (a fresh virtual host, k8s/'s users, a node of its own) and may add settings.
/// </summary>
public abstract class BrokerTopology(RabbitMqNode node, string virtualHost, string adminToken) : IAsyncLifetime
{
    public RabbitMqNode Node => node;

    public string VirtualHost => virtualHost;

    public string AdminToken => adminToken;

    public string WorkDirectory { get; } = TestData.TempDirectory();

    public string ModelPath => Path.Combine(WorkDirectory, "models", "mnist.pt");

    public List<ServiceProcess> Predictors { get; } = [];

    public ServiceProcess Gateway { get; private set; } = null!;

    public ServiceProcess Controller { get; private set; } = null!;

    public ServiceProcess? Trainer { get; private set; }

    public HttpClient Http { get; private set; } = null!;

    public IEnumerable<ServiceProcess> Services => Predictors.Append(Gateway).Append(Controller).Concat(Trainer is null ? [] : [Trainer]);

    protected virtual int PredictorCount => 3;

    protected virtual bool WithTrainer => true;

    protected virtual TimeSpan HttpTimeout => TimeSpan.FromSeconds(60);

    /// <summary>The suite's own gateway settings, beside the volume and the token every gateway here gets.</summary>
    protected virtual Dictionary<string, string> GatewaySettings => [];

    /// <summary>Creates what the services connect to: the virtual host, and the users and permissions they connect as.</summary>
    protected abstract Task PrepareBrokerAsync();

    protected abstract Task CleanUpBrokerAsync();

    /// <summary>The broker user a service of <paramref name="project"/> connects as.</summary>
    protected virtual (string User, string Password) Credentials(string project) => ("guest", "guest");

    public async Task InitializeAsync()
    {
        await PrepareBrokerAsync();
        Directory.CreateDirectory(Path.GetDirectoryName(ModelPath)!);
        File.Copy(TestData.Fixture("seed_mlp.pt"), ModelPath);
        for (var i = 0; i < PredictorCount; i++) Predictors.Add(PredictorService($"predictor-{i}"));
        Gateway = GatewayService("gateway");
        Controller = ControllerService("controller");
        if (WithTrainer)
        {
            Trainer = Service("trainer", "Trainer", ["worker"], new()
            {
                ["ModelVolume__ModelPath"] = ModelPath,
                ["Trainer__ValidationUploads"] = "200", // the gate's set, small: the suites train on small real subsets
                ["Trainer__DataDirectory"] = Path.Combine(Repository.Root, "data", "mnist"),
            });
        }
        Http = new HttpClient { BaseAddress = Gateway.Url, Timeout = HttpTimeout };
        foreach (var service in Services) service.Start();
        foreach (var service in Services) await service.WaitReadyAsync();
        await Poll.Until(async () => Replicas(await ModelsAsync()).Count == PredictorCount, $"all {PredictorCount} replicas reported to the gateway");
        await StartedAsync();
    }

    /// <summary>Called once every service is up and every replica reported.</summary>
    protected virtual Task StartedAsync() => Task.CompletedTask;

    /// <summary>A gateway instance on the shared volume, with the suite's settings and <paramref name="settings"/> of its own.</summary>
    public ServiceProcess GatewayService(string name, Dictionary<string, string>? settings = null)
    {
        var environment = new Dictionary<string, string>(GatewaySettings)
        {
            ["ModelVolume__ModelPath"] = ModelPath,
            ["Gateway__AdminToken"] = adminToken,
        };
        foreach (var (key, value) in settings ?? []) environment[key] = value;
        return Service(name, "Gateway", [], environment);
    }

    /// <summary>The controller on the shared volume, its sweep brisk for the suites, with <paramref name="settings"/> of its own.</summary>
    public ServiceProcess ControllerService(string name, Dictionary<string, string>? settings = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["ModelVolume__ModelPath"] = ModelPath,
            ["Controller__ShadowSampleRate"] = "1", // a candidate waiting on shadowing is compared on every batch
            ["Controller__SweepSeconds"] = "2",
        };
        foreach (var (key, value) in settings ?? []) environment[key] = value;
        return Service(name, "Controller", [], environment);
    }

    /// <summary>Replaces the controller with one started with <paramref name="settings"/> (none: the suite's own), on the same volume and queues.</summary>
    public async Task ReplaceControllerAsync(Dictionary<string, string>? settings = null)
    {
        Controller.Dispose();
        Controller = ControllerService("controller", settings);
        Controller.Start();
        await Controller.WaitReadyAsync();
    }

    /// <summary>What a process of <paramref name="project"/> outside the topology (a trainer's command line, as a Job runs it) reads to reach its broker.</summary>
    public Dictionary<string, string> BusEnvironment(string project = "Trainer")
    {
        var (user, password) = Credentials(project);
        return node.BusEnvironment(virtualHost, user, password);
    }

    /// <summary>A predictor replica serving <paramref name="modelPath"/> (the topology's volume unless given), one torch thread: several share two cores.</summary>
    public ServiceProcess PredictorService(string name, string? modelPath = null) =>
        Service(name, "Predictor", [], new() { ["ModelVolume__ModelPath"] = modelPath ?? ModelPath, ["Predictor__TorchThreads"] = "1" });

    public async Task<JsonElement> ModelsAsync() => JsonDocument.Parse(await Http.GetStringAsync("/models")).RootElement;

    /// <summary>Replica name → the version it serves, as the gateway last heard.</summary>
    public static Dictionary<string, string?> Replicas(JsonElement models) => models.GetProperty("replicas").EnumerateArray()
        .ToDictionary(r => r.GetProperty("replica").GetString()!, r => r.GetProperty("modelVersion").GetString());

    /// <summary>
    /// What a wait on this topology that timed out needs to be read by: whether each service runs and is ready (a
    /// receive endpoint that did not come back makes a service unready), its last warnings and errors, and every queue
    /// with its backlog and consumers.
    /// </summary>
    public async Task<string> DescribeAsync()
    {
        var text = new System.Text.StringBuilder();
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        foreach (var service in Services)
        {
            string ready;
            try
            {
                ready = service.Running ? (await probe.GetAsync(new Uri(service.Url!, "/healthz/ready"))).StatusCode.ToString() : "exited";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                ready = e.GetType().Name;
            }
            text.AppendLine($"{service.Name}: {ready}; its last warnings and errors:");
            foreach (var line in service.Problems(8)) text.AppendLine("  " + line);
        }
        try
        {
            text.AppendLine("queues (name, messages, unacknowledged, consumers):");
            text.Append(await node.CtlAsync("-q", "list_queues", "-p", virtualHost, "name", "messages", "messages_unacknowledged", "consumers"));
        }
        catch (InvalidOperationException e)
        {
            text.AppendLine($"the broker did not list its queues: {e.Message}");
        }
        return text.ToString();
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        foreach (var service in Predictors.Append(Gateway).Append(Controller).Append(Trainer)) service?.Dispose();
        await CleanUpBrokerAsync();
    }

    private ServiceProcess Service(string name, string project, string[] arguments, Dictionary<string, string> environment)
    {
        var (user, password) = Credentials(project);
        return node.Service(name, project, arguments, environment, virtualHost, WorkDirectory, user, password);
    }
}
