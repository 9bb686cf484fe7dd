namespace MnistEvents.ServiceDefaults.Bus;

/// <summary>The <c>Bus:RabbitMQ</c> configuration section.</summary>
public sealed class RabbitMqOptions
{
    public string Host { get; set; } = "localhost";

    public ushort Port { get; set; } = 5672;

    public string Username { get; set; } = "guest";

    public string Password { get; set; } = "guest";

    public string VirtualHost { get; set; } = "/";
}
