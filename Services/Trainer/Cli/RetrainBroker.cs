using System.Text.Json;
using System.Threading.Channels;
using MnistEvents.Contracts;
using MnistEvents.ServiceDefaults.Bus;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace MnistEvents.Trainer.Cli;

/// <summary>
/// The broker as <c>request-retrain</c> speaks to it: plain AMQP, as any outside publisher does (README, "Retraining from
/// any AMQP client"), and not through MassTransit, which declares every exchange it publishes to or binds from and so
/// would need the right to configure (and so delete) them: the <c>retrainer</c> user has none. It publishes the
/// command's JSON to the <c>request-retrain</c> exchange and follows events through a queue the broker names
/// (<c>amq.gen-…</c>, exclusive, gone with the connection), bound to the events' exchanges, which the system's own
/// services have declared.
/// </summary>
public sealed class RetrainBroker : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly IConnection connection;
    private readonly IChannel channel;

    private RetrainBroker(IConnection connection, IChannel channel)
    {
        this.connection = connection;
        this.channel = channel;
    }

    /// <summary>Where a message type's events are published: MassTransit's exchange name for it.</summary>
    public static string ExchangeOf(Type message) => $"{message.Namespace}:{message.Name}";

    public static async Task<RetrainBroker> ConnectAsync(RabbitMqOptions options, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory
        {
            HostName = options.Host,
            Port = options.Port,
            VirtualHost = options.VirtualHost,
            UserName = options.Username,
            Password = options.Password,
            ClientProvidedName = "request-retrain",
            // A lost connection loses the follow queue and what reached it meanwhile: better to say so than to wait on.
            AutomaticRecoveryEnabled = false,
        };
        var connection = await factory.CreateConnectionAsync(cancellationToken);
        try
        {
            var channel = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
            return new RetrainBroker(connection, channel);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts receiving <paramref name="events"/> (bound before anything is published, so none is missed). The reader
    /// ends with an error if the broker closes the channel or the connection.
    /// </summary>
    public async Task<ChannelReader<object>> FollowAsync(IEnumerable<Type> events, CancellationToken cancellationToken)
    {
        var types = events.ToDictionary(t => $"urn:message:{ExchangeOf(t)}");
        var received = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
        channel.ChannelShutdownAsync += (_, e) =>
        {
            received.Writer.TryComplete(new IOException($"the broker closed the connection: {e.ReplyCode} {e.ReplyText}"));
            return Task.CompletedTask;
        };

        var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true, cancellationToken: cancellationToken)).QueueName;
        foreach (var exchange in types.Values.Select(ExchangeOf)) await channel.QueueBindAsync(queue, exchange, "", cancellationToken: cancellationToken);

        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            // The system's events are in MassTransit's envelope; anything else on these exchanges is not one of them.
            if (Envelope(delivery.Body, types) is { } message) received.Writer.TryWrite(message);
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer, cancellationToken);
        return received.Reader;
    }

    /// <summary>Publishes the command's JSON alone, persistent, confirmed, and refused if no queue takes it.</summary>
    public async Task PublishAsync(RequestRetrain request, CancellationToken cancellationToken)
    {
        var properties = new BasicProperties
        {
            ContentType = "application/json",
            DeliveryMode = DeliveryModes.Persistent,
            // The trainers take the message id as the training's when the body names none; here both say the same.
            MessageId = request.TrainingId.ToString(),
        };
        try
        {
            await channel.BasicPublishAsync(QueueNames.RequestRetrain, "", mandatory: true, properties, JsonSerializer.SerializeToUtf8Bytes(request, Json),
                cancellationToken);
        }
        catch (PublishException e) when (e.IsReturn)
        {
            throw new IOException($"the broker has no queue bound to the {QueueNames.RequestRetrain} exchange: the controller has not started on it yet");
        }
    }

    /// <summary>Words for what the broker or the network said, for the person at the console.</summary>
    public static string Describe(Exception e) => e switch
    {
        BrokerUnreachableException u => $"cannot reach the broker: {(u.InnerException ?? u).Message}",
        OperationInterruptedException { ShutdownReason: { } reason } => reason.ReplyCode switch
        {
            403 => $"the broker refused: {reason.ReplyText}",
            404 => $"the broker has no such exchange ({reason.ReplyText}): have the system's services started on this virtual host?",
            _ => $"the broker closed the channel: {reason.ReplyCode} {reason.ReplyText}",
        },
        _ => e.Message,
    };

    private static object? Envelope(ReadOnlyMemory<byte> body, Dictionary<string, Type> types)
    {
        try
        {
            using var envelope = JsonDocument.Parse(body);
            if (!envelope.RootElement.TryGetProperty("messageType", out var urns) || urns.ValueKind != JsonValueKind.Array) return null;
            foreach (var urn in urns.EnumerateArray())
                if (urn.GetString() is { } name && types.TryGetValue(name, out var type) && envelope.RootElement.TryGetProperty("message", out var message))
                    return message.Deserialize(type, Json);
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await channel.DisposeAsync();
        await connection.DisposeAsync();
    }
}
