using System.Diagnostics;
using MassTransit;

namespace MnistEvents.TestSupport;

/// <summary>A private rabbitmq-server node of the tests' own (scripts/rabbitmq.sh) on <paramref name="amqpPort"/>, driven with rabbitmqctl.</summary>
public sealed class RabbitMqNode(int amqpPort)
{
    public int AmqpPort { get; } = amqpPort;

    private string NodeName => $"mnistevents{AmqpPort}@localhost";

    /// <summary>Starts the node unless it already runs; true when this call started it (and so should stop it).</summary>
    public async Task<bool> StartAsync() => !(await RunAsync(Script, "start", AmqpPort.ToString())).Contains("already running");

    public Task StopAsync() => RunAsync(Script, "stop", AmqpPort.ToString());

    public Task<string> CtlAsync(params string[] arguments) => RunAsync("/usr/lib/rabbitmq/bin/rabbitmqctl", ["-n", NodeName, .. arguments]);

    /// <summary>
    /// <paramref name="virtualHost"/> made anew, open to guest: the node keeps its data between runs, and a run stopped
    /// half-way leaves its durable queues and messages behind (once, a fault scenario then saw no redelivery).
    /// </summary>
    public async Task FreshVirtualHostAsync(string virtualHost)
    {
        if ((await CtlAsync("-q", "list_vhosts", "name")).Split('\n').Any(line => line.Trim() == virtualHost))
            await CtlAsync("delete_vhost", virtualHost);
        await CtlAsync("add_vhost", virtualHost);
        await CtlAsync("set_permissions", "-p", virtualHost, "guest", ".*", ".*", ".*");
    }

    /// <summary>A service process of this checkout on the node's <paramref name="virtualHost"/>, as <paramref name="user"/> (guest when none).</summary>
    public ServiceProcess Service(string name, string project, string[] arguments, Dictionary<string, string> environment,
        string virtualHost, string workDirectory, string user = "guest", string password = "guest")
    {
        environment["POD_NAME"] = name;
        foreach (var (key, value) in BusEnvironment(virtualHost, user, password)) environment[key] = value;
        return ServiceProcess.OnFreePort(name, project, arguments, environment, workDirectory);
    }

    /// <summary>The settings every service reads to reach this node's <paramref name="virtualHost"/> as <paramref name="user"/>.</summary>
    public Dictionary<string, string> BusEnvironment(string virtualHost, string user = "guest", string password = "guest") => new()
    {
        ["Bus__Transport"] = "RabbitMQ",
        ["Bus__RabbitMQ__Host"] = "127.0.0.1",
        ["Bus__RabbitMQ__Port"] = AmqpPort.ToString(),
        ["Bus__RabbitMQ__VirtualHost"] = virtualHost,
        ["Bus__RabbitMQ__Username"] = user,
        ["Bus__RabbitMQ__Password"] = password,
    };

    /// <summary>A bus client of a test's own on <paramref name="virtualHost"/>, as <paramref name="user"/>.</summary>
    public async Task<IBusControl> StartBusAsync(string virtualHost, string user = "guest", string password = "guest")
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host("127.0.0.1", (ushort)AmqpPort, virtualHost, h =>
        {
            h.Username(user);
            h.Password(password);
        }));
        await bus.StartAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        return bus;
    }

    private static string Script => Path.Combine(Repository.Root, "scripts", "rabbitmq.sh");

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
