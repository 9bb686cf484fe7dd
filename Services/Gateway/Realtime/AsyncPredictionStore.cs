using Microsoft.Extensions.Caching.Memory;
using MnistEvents.Contracts;

namespace MnistEvents.Gateway.Realtime;

/// <summary>Accepted async predictions and their results, kept for a while so a client that reconnected can fetch a missed one by id.</summary>
public sealed class AsyncPredictionStore(IMemoryCache cache, TimeProvider time)
{
    public static readonly TimeSpan Retention = TimeSpan.FromMinutes(15);

    public void Accepted(Guid id, string? connectionId, byte[] pixels) =>
        cache.Set(Key(id), new AsyncPrediction(id, connectionId, pixels, time.GetUtcNow()), Retention);

    /// <summary>Records the result of a prediction this gateway accepted; null for results that are not ours.</summary>
    public AsyncPrediction? Completed(DigitPredicted result)
    {
        if (!cache.TryGetValue(Key(result.RequestId), out AsyncPrediction? pending) || pending is null) return null;
        var done = pending with { Result = result };
        cache.Set(Key(result.RequestId), done, Retention);
        return done;
    }

    public AsyncPrediction? Find(Guid id) => cache.TryGetValue(Key(id), out AsyncPrediction? found) ? found : null;

    private static string Key(Guid id) => $"async-prediction:{id:N}";
}
