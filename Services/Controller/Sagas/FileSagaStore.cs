using System.Text.Json;
using MassTransit;
using MnistEvents.Registry;

namespace MnistEvents.Controller.Sagas;

/// <summary>
/// The instances of one saga as JSON files in a directory of the model volume, one per correlation id, each written
/// atomically (temporary file, fsync, rename) as the registry writes its own: a reader sees an instance before or
/// after a message, never half of one. Safe on every volume kind k8s/ mounts (a local disk or a network file system)
/// because one process writes here: the controller, a single replica. (The trainer's command line without a broker is
/// its volume's controller for the run; what it leaves is read again here, the directory having changed.) A message holds the store
/// (<see cref="EnterAsync"/>) for its whole saga pipe, so instances change one message at a time and a query sees
/// them all as of one moment. Instances are kept after they end (what a training became stays readable by its id);
/// beyond <paramref name="keep"/> the oldest ended ones go.
/// </summary>
public sealed class FileSagaStore<TSaga>(string directory, int keep, Func<TSaga, bool> ended) where TSaga : class, ISaga
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly SemaphoreSlim exclusive = new(1, 1);
    private readonly Lock gate = new();
    // The files' contents by id, read again only when the directory changed other than by this store: instances are
    // handed out as fresh copies, so one a message is changing is never seen by a reader half-changed.
    private Dictionary<Guid, (byte[] Json, DateTime Written)>? files;
    private DateTime scanned;

    public string Directory => directory;

    /// <summary>Holds the store for one message's saga pipe: the next message waits until it is released.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        await exclusive.WaitAsync(cancellationToken);
        return new Release(exclusive);
    }

    /// <summary>A copy of the instance, or null.</summary>
    public TSaga? Find(Guid correlationId)
    {
        lock (gate) return Files().TryGetValue(correlationId, out var file) ? Read(file.Json) : null;
    }

    /// <summary>A copy of every instance, oldest written first.</summary>
    public IReadOnlyList<TSaga> All()
    {
        lock (gate) return Files().Values.OrderBy(f => f.Written).Select(f => Read(f.Json)).OfType<TSaga>().ToArray();
    }

    public void Write(TSaga instance)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(instance, Json);
        lock (gate)
        {
            var all = Files();
            System.IO.Directory.CreateDirectory(directory);
            RegistryFiles.WriteAtomically(PathOf(instance.CorrelationId), json);
            all[instance.CorrelationId] = (json, DateTime.UtcNow);
            if (all.Count > keep) Prune(all);
            scanned = WrittenAt();
        }
    }

    public void Delete(Guid correlationId)
    {
        lock (gate)
        {
            File.Delete(PathOf(correlationId));
            Files().Remove(correlationId);
            scanned = WrittenAt();
        }
    }

    private void Prune(Dictionary<Guid, (byte[] Json, DateTime Written)> all)
    {
        var endedOldestFirst = all.Where(f => Read(f.Value.Json) is { } saga && ended(saga)).OrderBy(f => f.Value.Written).Select(f => f.Key).ToList();
        foreach (var id in endedOldestFirst.Take(all.Count - keep))
        {
            File.Delete(PathOf(id));
            all.Remove(id);
        }
    }

    private Dictionary<Guid, (byte[] Json, DateTime Written)> Files()
    {
        var stamp = WrittenAt();
        if (files is not null && stamp == scanned) return files;
        files = [];
        scanned = stamp;
        if (!System.IO.Directory.Exists(directory)) return files;
        foreach (var file in new DirectoryInfo(directory).EnumerateFiles("*.json"))
        {
            // A temporary file a crash left behind is not an instance (its name starts with a dot and is no id).
            if (!Guid.TryParseExact(Path.GetFileNameWithoutExtension(file.Name), "N", out var id)) continue;
            var json = File.ReadAllBytes(file.FullName);
            if (Read(json) is not null) files[id] = (json, file.LastWriteTimeUtc);
        }
        return files;
    }

    // When a file in the directory was last added, replaced or removed: a rename into it changes it.
    private DateTime WrittenAt() => System.IO.Directory.Exists(directory) ? System.IO.Directory.GetLastWriteTimeUtc(directory) : default;

    private string PathOf(Guid correlationId) => Path.Combine(directory, $"{correlationId:N}.json");

    // A damaged file reads as absent, as the registry's small files do: the state machine then starts that id afresh.
    private static TSaga? Read(byte[] json)
    {
        try
        {
            return JsonSerializer.Deserialize<TSaga>(json, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed class Release(SemaphoreSlim semaphore) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0) semaphore.Release();
        }
    }
}
