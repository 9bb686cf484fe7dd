using MnistEvents.TestSupport;

namespace MnistEvents.RabbitMqTests;

/// <summary>
/// The broker as k8s/ sets it up: the users, virtual host and permissions of its definitions, rendered by its own
/// init script and imported into the suite's node; the gateway, a predictor and the trainer worker
/// (<see cref="BrokerTopology"/>) each connect as their own user, as their pods do.
/// </summary>
public sealed class KubernetesBrokerUsers() : BrokerTopology(Broker.Node, "mnist", "least-privilege-token")
{
    private static readonly string[] Users = ["admin", "gateway", "predictor", "trainer", "launcher", "controller", "monitoring", "retrainer", "watcher"];

    private bool startedBroker;

    public ServiceProcess Predictor => Predictors.Single();

    protected override int PredictorCount => 1;

    protected override Dictionary<string, string> GatewaySettings => new() { ["Gateway__PredictionTimeoutSeconds"] = "30" };

    public static string Password(string user) => $"test-{user}-password";

    protected override (string User, string Password) Credentials(string project) => (project.ToLowerInvariant(), Password(project.ToLowerInvariant()));

    protected override async Task PrepareBrokerAsync()
    {
        startedBroker = await Node.StartAsync();
        var definitions = Path.Combine(WorkDirectory, "definitions.json");
        var (code, error) = BrokerDefinitions.Render(definitions, Users.ToDictionary(u => $"{u.ToUpperInvariant()}_PASSWORD", Password));
        if (code != 0) throw new InvalidOperationException($"render-definitions.sh failed: {error}");
        await Node.CtlAsync("import_definitions", definitions);
        // The import runs in the background: the last user's permissions mark its end.
        await Poll.Until(async () => (await Node.CtlAsync("list_user_permissions", "watcher")).Contains(VirtualHost), "the definitions imported");
    }

    protected override async Task CleanUpBrokerAsync()
    {
        await Node.CtlAsync("delete_vhost", VirtualHost);
        foreach (var user in Users) await Node.CtlAsync("delete_user", user);
        if (startedBroker) await Node.StopAsync();
    }
}
