using MnistEvents.TestSupport;

namespace MnistEvents.RabbitMqTests;

/// <summary>
/// The broker as k8s/ sets it up: the users, virtual host and permissions of its definitions, rendered by its own
/// init script and imported into the suite's node; the gateway, a predictor and the trainer worker each connect as
/// their own user, as their pods do.
/// </summary>
public sealed class KubernetesBrokerUsers : IAsyncLifetime
{
    public const string VirtualHost = "mnist";
    public const string AdminToken = "least-privilege-token";
    private static readonly string[] Users = ["admin", "gateway", "predictor", "trainer", "launcher", "monitoring"];

    private bool startedBroker;

    public string WorkDirectory { get; } = TestData.TempDirectory();

    public string ModelPath => Path.Combine(WorkDirectory, "models", "mnist.pt");

    public ServiceProcess Gateway { get; private set; } = null!;

    public ServiceProcess Predictor { get; private set; } = null!;

    public ServiceProcess Trainer { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public IEnumerable<ServiceProcess> Services => [Gateway, Predictor, Trainer];

    public static string Password(string user) => $"test-{user}-password";

    public async Task InitializeAsync()
    {
        startedBroker = await Broker.Node.StartAsync();
        var definitions = Path.Combine(WorkDirectory, "definitions.json");
        var (code, error) = BrokerDefinitions.Render(definitions, Users.ToDictionary(u => $"{u.ToUpperInvariant()}_PASSWORD", Password));
        if (code != 0) throw new InvalidOperationException($"render-definitions.sh failed: {error}");
        await Broker.Node.CtlAsync("import_definitions", definitions);
        // The import runs in the background: the last user's permissions mark its end.
        await Poll.Until(async () => (await Broker.Node.CtlAsync("list_user_permissions", "trainer")).Contains(VirtualHost), "the definitions imported");

        Directory.CreateDirectory(Path.GetDirectoryName(ModelPath)!);
        File.Copy(TestData.Fixture("seed_mlp.pt"), ModelPath);
        Gateway = Service("gateway", "Gateway", [], new()
        {
            ["Gateway__AdminToken"] = AdminToken,
            ["ModelVolume__ModelPath"] = ModelPath,
            ["Gateway__PredictionTimeoutSeconds"] = "30",
        });
        Predictor = Service("predictor", "Predictor", [], new() { ["ModelVolume__ModelPath"] = ModelPath });
        Trainer = Service("trainer", "Trainer", ["worker"], new()
        {
            ["ModelVolume__ModelPath"] = ModelPath,
            ["Trainer__ValidationUploads"] = "200",
            ["Trainer__ShadowSampleRate"] = "1",
            ["Trainer__DataDirectory"] = Path.Combine(Repository.Root, "data", "mnist"),
        });
        Http = new HttpClient { BaseAddress = Gateway.Url, Timeout = TimeSpan.FromSeconds(60) };
        foreach (var service in Services) service.Start();
        foreach (var service in Services) await service.WaitReadyAsync();
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        foreach (var service in Services) service?.Dispose();
        await Broker.Node.CtlAsync("delete_vhost", VirtualHost);
        foreach (var user in Users) await Broker.Node.CtlAsync("delete_user", user);
        if (startedBroker) await Broker.Node.StopAsync();
    }

    private ServiceProcess Service(string name, string project, string[] arguments, Dictionary<string, string> environment) =>
        Broker.Node.Service(name, project, arguments, environment, VirtualHost, WorkDirectory, user: name, password: Password(name));
}
