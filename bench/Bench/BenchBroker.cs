using MassTransit;

namespace MnistEvents.Bench;

/// <summary>
/// The broker the bench tool connects to: host and port from its arguments; virtual host, user and password from the
/// settings every service reads (<c>Bus__RabbitMQ__VirtualHost</c>, <c>__Username</c>, <c>__Password</c>, which
/// bench/lib.sh sets), RabbitMQ's defaults otherwise.
/// </summary>
public static class BenchBroker
{
    public static void Host(IRabbitMqBusFactoryConfigurator cfg, string host, ushort port) =>
        cfg.Host(host, port, Setting("VirtualHost", "/"), h =>
        {
            h.Username(Setting("Username", "guest"));
            h.Password(Setting("Password", "guest"));
        });

    private static string Setting(string name, string fallback) =>
        Environment.GetEnvironmentVariable($"Bus__RabbitMQ__{name}") is { Length: > 0 } value ? value : fallback;
}
