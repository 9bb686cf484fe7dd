using System.Diagnostics;
using MnistEvents.TestSupport;

namespace MnistEvents.RabbitMqTests;

/// <summary>
/// The all-in-one process on the suite's broker node instead of its in-memory bus (<c>Bus__Transport=RabbitMQ</c>, a
/// fresh virtual host), with the seed's model on its volume, and a broker user allowed exactly what k8s/'s
/// <c>retrainer</c> is, for <c>trainer request-retrain</c> to run as.
/// </summary>
public sealed class AllInOneOnBroker : IAsyncLifetime
{
    public const string RetrainerUser = "retrainer-of-all-in-one";
    public const string RetrainerPassword = "retrainer-of-all-in-one-password";

    private readonly string workDirectory = TestData.TempDirectory();
    private bool startedBroker;

    public string VirtualHost { get; } = $"mnist-aio-{Guid.NewGuid():N}"[..20];

    public ServiceProcess App { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var node = Broker.Node;
        startedBroker = await node.StartAsync();
        await node.FreshVirtualHostAsync(VirtualHost);
        await node.CtlAsync("add_user", RetrainerUser, RetrainerPassword);
        var (configure, write, read) = BrokerDefinitions.Permissions("retrainer");
        await node.CtlAsync("set_permissions", "-p", VirtualHost, RetrainerUser, configure, write, read);

        var modelPath = Path.Combine(workDirectory, "models", "mnist.pt");
        Directory.CreateDirectory(Path.GetDirectoryName(modelPath)!);
        File.Copy(TestData.Fixture("seed_mlp.pt"), modelPath);
        App = node.Service("all-in-one", "AllInOne", [], new()
        {
            ["ModelVolume__ModelPath"] = modelPath,
            ["Gateway__AdminToken"] = "all-in-one-on-broker-token",
            ["Trainer__ValidationUploads"] = "200", // the gate's set, small: the suite trains on small real subsets
            ["Trainer__DataDirectory"] = Path.Combine(Repository.Root, "data", "mnist"),
            ["Predictor__TorchThreads"] = "1",
        }, VirtualHost, workDirectory);
        App.Start();
        await App.WaitReadyAsync();
        Http = new HttpClient { BaseAddress = App.Url, Timeout = TimeSpan.FromSeconds(60) };
        await Poll.Until(async () => await Http.CurrentVersionAsync() is not null, "the seed's model served", logOf: App);
    }

    /// <summary>Runs the built <c>MnistEvents.Trainer request-retrain</c> as a person would, connecting as <paramref name="password"/>'s user.</summary>
    public async Task<(int Code, string Output, string Error)> RequestRetrainAsync(string password, params string[] arguments)
    {
        var start = new ProcessStartInfo(Repository.ServiceExecutable("Trainer")) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("request-retrain");
        foreach (var a in arguments) start.ArgumentList.Add(a);
        start.Environment["Bus__Transport"] = "RabbitMQ";
        start.Environment["Bus__RabbitMQ__Host"] = "127.0.0.1";
        start.Environment["Bus__RabbitMQ__Port"] = Broker.Node.AmqpPort.ToString();
        start.Environment["Bus__RabbitMQ__VirtualHost"] = VirtualHost;
        start.Environment["Bus__RabbitMQ__Username"] = RetrainerUser;
        start.Environment["Bus__RabbitMQ__Password"] = password;
        using var command = Process.Start(start)!;
        var output = command.StandardOutput.ReadToEndAsync();
        var error = command.StandardError.ReadToEndAsync();
        // Beyond the --timeout the tests give it: the command ends itself first.
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        try
        {
            await command.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            command.Kill(entireProcessTree: true);
            throw new TimeoutException($"request-retrain did not end:\n{await output}\n{await error}\nall-in-one:\n{App.Tail()}");
        }
        return (command.ExitCode, await output, await error);
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        App?.Dispose();
        await Broker.Node.CtlAsync("delete_vhost", VirtualHost);
        await Broker.Node.CtlAsync("delete_user", RetrainerUser);
        if (startedBroker) await Broker.Node.StopAsync();
    }
}
