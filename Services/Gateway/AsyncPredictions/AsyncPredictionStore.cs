using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using MnistEvents.Contracts;
using MnistEvents.Gateway.Problems;

namespace MnistEvents.Gateway.AsyncPredictions;

/// <summary>
/// Accepted async predictions and their results for 15 minutes, so a client that reconnected can fetch a missed one by
/// id: kept on the volume (<see cref="AsyncResultLog"/>), so any gateway instance, or this one after a restart, can
/// answer; the newest also in a memory cache of <see cref="GatewayOptions.AsyncResultsInMemory"/> (the rest are read
/// from the log when asked for: a store held whole in memory grew the gateway by ~3 KB a kept prediction, under the
/// workstation GC k8s runs it with). Which connection a push is owed to is only known in memory, here, until it is pushed or expires.
/// </summary>
public sealed class AsyncPredictionStore(AsyncResultLog log, IOptions<GatewayOptions> options, TimeProvider time) : IDisposable
{
    public static readonly TimeSpan Retention = TimeSpan.FromMinutes(15);

    private readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = options.Value.AsyncResultsInMemory });
    // Pushes this instance owes: the connection, and when the prediction was accepted (for forgetting one never answered).
    private readonly ConcurrentDictionary<Guid, (string Connection, DateTimeOffset AcceptedAt)> pushes = new();

    /// <summary>
    /// Refuses (429) a submission of <paramref name="count"/> images that would take <paramref name="client"/> past its share of
    /// the store, so one client cannot fill it for everybody; checked before the images are decoded, and again as they are kept.
    /// </summary>
    public void EnsureShare(string client, int count)
    {
        var share = options.Value.MaxAsyncResultsPerClient;
        var kept = log.CountFor(client);
        if (kept + count <= share) return;
        throw new ProblemException(StatusCodes.Status429TooManyRequests, "Async results share used",
            $"This client has {kept:N0} async predictions kept and may have {share:N0} at once; each is kept {Retention.TotalMinutes:0} minutes "
            + $"after it was submitted. This submission of {count} was not accepted; fetch or wait out the ones already made.")
        {
            RetryAfterSeconds = 60,
        };
    }

    /// <summary>Keeps a submission's accepted images (id, pixels and warnings each) from <paramref name="client"/>, durably, in one write.</summary>
    public void Accepted(IReadOnlyList<(Guid Id, byte[] Pixels, IReadOnlyList<string> Warnings)> images, string? connectionId, string client)
    {
        EnsureShare(client, images.Count);
        if (log.Count + images.Count > options.Value.MaxAsyncResults)
        {
            throw new ProblemException(StatusCodes.Status503ServiceUnavailable, "Gateway busy",
                $"{options.Value.MaxAsyncResults:N0} async predictions are already kept; this submission was not accepted. Try again shortly.")
            {
                RetryAfterSeconds = 30,
            };
        }
        var now = time.GetUtcNow();
        var predictions = images.Select(i => new AsyncPrediction(i.Id, connectionId, i.Pixels, i.Warnings, now)).ToList();
        log.Accepted(predictions, client);
        foreach (var prediction in predictions)
        {
            if (connectionId is not null) pushes[prediction.Id] = (connectionId, now);
            Remember(prediction);
        }
    }

    /// <summary>The result for this instance's own push: the prediction with its result, or null for one accepted by another instance.</summary>
    public AsyncPrediction? Completed(DigitPredicted result)
    {
        if (!pushes.TryRemove(result.RequestId, out var push) || Known(result.RequestId) is not { } accepted) return null;
        var done = accepted with { Result = result };
        Remember(done);
        return done with { ConnectionId = push.Connection };
    }

    /// <summary>Forgets pushes owed for predictions past their retention, whose results never came; returns how many are still owed.</summary>
    public int ForgetExpiredPushes()
    {
        var oldest = time.GetUtcNow() - Retention;
        foreach (var (id, push) in pushes)
            if (push.AcceptedAt < oldest) pushes.TryRemove(id, out _);
        return pushes.Count;
    }

    /// <summary>Keeps a batch's results durably, whichever instance accepted each prediction; returns how many matched nothing kept (never accepted here, or long gone).</summary>
    public int Record(IReadOnlyList<DigitPredicted> results)
    {
        var kept = new List<DigitPredicted>(results.Count);
        foreach (var result in results)
        {
            if (Known(result.RequestId) is not { } accepted) continue;
            kept.Add(result);
            Remember(accepted with { Result = result });
        }
        log.Recorded(kept);
        return results.Count - kept.Count;
    }

    /// <summary>The kept prediction as it stands now, or null: one held here as pending is looked for again on the volume, where another instance may have recorded its result.</summary>
    public AsyncPrediction? Find(Guid id) => Cached(id) is { Result: not null } done ? done : Stored(id);

    // Accepted, answered or not: enough for recording or pushing a result that is at hand.
    private AsyncPrediction? Known(Guid id) => Cached(id) ?? Stored(id);

    private AsyncPrediction? Cached(Guid id) => cache.TryGetValue(Key(id), out AsyncPrediction? found) ? found : null;

    private AsyncPrediction? Stored(Guid id)
    {
        if (log.Read(id) is not { } stored) return null;
        Remember(stored);
        return stored;
    }

    // Full, the cache takes no more until it has compacted: the log still has everything.
    private void Remember(AsyncPrediction prediction) =>
        cache.Set(Key(prediction.Id), prediction with { ConnectionId = null }, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = Retention, Size = 1 });

    private static string Key(Guid id) => $"async-prediction:{id:N}";

    public void Dispose() => cache.Dispose();
}
