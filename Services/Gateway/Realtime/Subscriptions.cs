using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace MnistEvents.Gateway.Realtime;

/// <summary>
/// Which live connection async results go to. A connection asks the hub for a subscription key (random, 256 bits) and
/// names it when submitting; the server maps it back to that connection, so results reach only the client that
/// submitted them, however many connection ids another client has seen. Keys end with their connection.
/// </summary>
public sealed class Subscriptions
{
    private readonly ConcurrentDictionary<string, string> connectionsByKey = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> keysByConnection = new(StringComparer.Ordinal);

    public string Subscribe(string connectionId) => keysByConnection.GetOrAdd(connectionId, id =>
    {
        var key = Base64Url(RandomNumberGenerator.GetBytes(32));
        connectionsByKey[key] = id;
        return key;
    });

    public void Ended(string connectionId)
    {
        if (keysByConnection.TryRemove(connectionId, out var key)) connectionsByKey.TryRemove(key, out _);
    }

    /// <summary>The connection a key belongs to; null for no key, an unknown one, or one whose connection has ended.</summary>
    public string? Connection(string? key) => key is { Length: > 0 } && connectionsByKey.TryGetValue(key, out var id) ? id : null;

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
