using System.Text.Json;
using Microsoft.Extensions.Options;
using MnistEvents.Contracts;

namespace MnistEvents.Gateway.Realtime;

/// <summary>
/// The durable side of async predictions: one small JSON file per prediction in <see cref="GatewayOptions.AsyncResultsPath"/>
/// (what the model saw, when, and the result once known), written atomically. A restarted gateway, or another
/// instance on the same volume, answers from these; files older than the retention are swept away.
/// </summary>
public sealed class AsyncResultFiles(IOptions<GatewayOptions> options, TimeProvider time, ILogger<AsyncResultFiles> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private int count = -1;

    private string Directory => Path.GetFullPath(options.Value.AsyncResultsPath);

    /// <summary>About how many are kept (exact after each sweep).</summary>
    public int Count => count < 0 ? Sweep() : Volatile.Read(ref count);

    public void Write(AsyncPrediction prediction, bool isNew)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = PathOf(prediction.Id);
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(new Stored(prediction.Id, prediction.Pixels, prediction.AcceptedAt, prediction.Result), Json));
        File.Move(temp, path, overwrite: true);
        if (isNew) Interlocked.Increment(ref count);
    }

    /// <summary>The kept prediction, or null when there is none (never accepted, swept, or unreadable).</summary>
    public AsyncPrediction? Read(Guid id)
    {
        try
        {
            var stored = JsonSerializer.Deserialize<Stored>(File.ReadAllBytes(PathOf(id)), Json);
            return stored is null || time.GetUtcNow() - stored.AcceptedAt > AsyncPredictionStore.Retention
                ? null
                : new AsyncPrediction(stored.Id, null, stored.Pixels, stored.AcceptedAt, stored.Result);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            logger.LogWarning("Async prediction {PredictionId} cannot be read back: {Reason}", id, e.Message);
            return null;
        }
    }

    /// <summary>Deletes what is older than the retention; returns how many are left.</summary>
    public int Sweep()
    {
        if (!System.IO.Directory.Exists(Directory)) return Volatile.Read(ref count) is var c && c < 0 ? count = 0 : c;
        var oldest = time.GetUtcNow().UtcDateTime - AsyncPredictionStore.Retention;
        var left = 0;
        foreach (var file in new DirectoryInfo(Directory).EnumerateFiles("*.json"))
        {
            if (file.LastWriteTimeUtc >= oldest) left++;
            else file.Delete();
        }
        Volatile.Write(ref count, left);
        return left;
    }

    private string PathOf(Guid id) => Path.Combine(Directory, $"{id:N}.json");

    private sealed record Stored(Guid Id, byte[] Pixels, DateTimeOffset AcceptedAt, DigitPredicted? Result);
}
