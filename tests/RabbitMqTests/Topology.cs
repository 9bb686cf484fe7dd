using System.Diagnostics;
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
    public const int AmqpPort = 5679;
    public const string RetrainToken = "rabbitmq-suite-token";
    private const string NodeName = "mnistevents5679@localhost";

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
        var output = await RunAsync(Path.Combine(Repository.Root, "scripts", "rabbitmq.sh"), "start", AmqpPort.ToString());
        startedBroker = !output.Contains("already running");
        await RunAsync("/usr/lib/rabbitmq/bin/rabbitmqctl", "-n", NodeName, "add_vhost", VirtualHost);
        await RunAsync("/usr/lib/rabbitmq/bin/rabbitmqctl", "-n", NodeName, "set_permissions", "-p", VirtualHost, "guest", ".*", ".*", ".*");

        Directory.CreateDirectory(Path.GetDirectoryName(ModelPath)!);
        File.Copy(TestData.Fixture("seed_mlp.pt"), ModelPath);

        for (var i = 0; i < 3; i++) Predictors.Add(Service($"predictor-{i}", "Predictor", [], new() { ["Predictor__ModelPath"] = ModelPath }));
        Gateway = Service("gateway", "Gateway", [], new()
        {
            ["Gateway__RetrainToken"] = RetrainToken,
            ["Gateway__PredictionTimeoutSeconds"] = "30",
        });
        Trainer = Service("trainer", "Trainer", ["worker"], new()
        {
            ["Trainer__ModelPath"] = ModelPath,
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
    public async Task<IBusControl> StartBusAsync()
    {
        var bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host("127.0.0.1", AmqpPort, VirtualHost, h =>
        {
            h.Username("guest");
            h.Password("guest");
        }));
        await bus.StartAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        return bus;
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        foreach (var service in Predictors.Append(Gateway).Append(Trainer)) service?.Dispose();
        await RunAsync("/usr/lib/rabbitmq/bin/rabbitmqctl", "-n", NodeName, "delete_vhost", VirtualHost);
        if (startedBroker) await RunAsync(Path.Combine(Repository.Root, "scripts", "rabbitmq.sh"), "stop", AmqpPort.ToString());
    }

    private ServiceProcess Service(string name, string project, string[] arguments, Dictionary<string, string> environment)
    {
        environment["POD_NAME"] = name;
        environment["Bus__Transport"] = "RabbitMQ";
        environment["Bus__RabbitMQ__Host"] = "127.0.0.1";
        environment["Bus__RabbitMQ__Port"] = AmqpPort.ToString();
        environment["Bus__RabbitMQ__VirtualHost"] = VirtualHost;
        return ServiceProcess.OnFreePort(name, project, arguments, environment, WorkDirectory);
    }

    private static async Task<string> RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {output}{error}");
        return output;
    }
}
