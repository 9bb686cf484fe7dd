using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
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

    private readonly string repository = FindRepository();
    // bin/{Configuration}/net10.0/: the services were built beside this suite in the same configuration.
    private readonly string configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
    private bool startedBroker;

    public string VirtualHost { get; } = $"mnist-test-{Guid.NewGuid():N}"[..20];

    public string WorkDirectory { get; } = TestData.TempDirectory();

    public string ModelPath => Path.Combine(WorkDirectory, "models", "mnist.pt");

    public List<ServiceProcess> Predictors { get; } = [];

    public ServiceProcess Gateway { get; private set; } = null!;

    public ServiceProcess Trainer { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    private readonly Dictionary<string, Uri> urls = [];

    public async Task InitializeAsync()
    {
        var output = await RunAsync(Path.Combine(repository, "scripts", "rabbitmq.sh"), "start", AmqpPort.ToString());
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
            ["Trainer__DataDirectory"] = Path.Combine(repository, "data", "mnist"),
        });
        Http = new HttpClient { BaseAddress = urls["gateway"], Timeout = TimeSpan.FromSeconds(60) };

        foreach (var service in Predictors.Append(Gateway).Append(Trainer)) service.Start();
        foreach (var service in Predictors.Append(Gateway).Append(Trainer)) await WaitReadyAsync(service);
        await Eventually(async () => (await ModelsAsync()).GetProperty("replicas").GetArrayLength() == 3, "all three replicas reported to the gateway");
    }

    public async Task WaitReadyAsync(ServiceProcess service)
    {
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await Eventually(async () =>
        {
            if (!service.Running) throw new InvalidOperationException($"{service.Name} exited:\n{service.Tail()}");
            try
            {
                return (await probe.GetAsync(new Uri(urls[service.Name], "/healthz/ready"))).StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, $"{service.Name} ready", TimeSpan.FromSeconds(90), service);
    }

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

    public static async Task Eventually(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, ServiceProcess? logOf = null)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < (timeout ?? TimeSpan.FromSeconds(60)))
        {
            if (await condition()) return;
            await Task.Delay(200);
        }
        throw new TimeoutException($"timed out waiting for: {what}{(logOf is null ? "" : $"\n{logOf.Name} log:\n{logOf.Tail()}")}");
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        foreach (var service in Predictors.Append(Gateway).Append(Trainer)) service?.Dispose();
        await RunAsync("/usr/lib/rabbitmq/bin/rabbitmqctl", "-n", NodeName, "delete_vhost", VirtualHost);
        if (startedBroker) await RunAsync(Path.Combine(repository, "scripts", "rabbitmq.sh"), "stop", AmqpPort.ToString());
    }

    private ServiceProcess Service(string name, string project, string[] arguments, Dictionary<string, string> environment)
    {
        var url = new Uri($"http://127.0.0.1:{FreePort()}");
        urls[name] = url;
        environment["ASPNETCORE_URLS"] = url.ToString();
        environment["POD_NAME"] = name;
        environment["Bus__Transport"] = "RabbitMQ";
        environment["Bus__RabbitMQ__Host"] = "127.0.0.1";
        environment["Bus__RabbitMQ__Port"] = AmqpPort.ToString();
        environment["Bus__RabbitMQ__VirtualHost"] = VirtualHost;
        var executable = Path.Combine(repository, "Services", project, "bin", configuration, "net10.0", $"MnistEvents.{project}");
        return new ServiceProcess(name, executable, arguments, environment, WorkDirectory);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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

    private static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MnistEvents.sln"))) return dir.FullName;
        throw new InvalidOperationException("MnistEvents.sln not found above the test assembly");
    }
}
