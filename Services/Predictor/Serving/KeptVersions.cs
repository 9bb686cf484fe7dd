using Microsoft.Extensions.Options;
using MnistEvents.Model.Store;
using MnistEvents.Registry;

namespace MnistEvents.Predictor.Serving;

/// <summary>
/// Kept versions other than the served one, for requests that name one: read from this replica's own versions by name
/// (never by a path in a message), verified exactly as a served model (sha256 of its manifest, smoke inference), at
/// most <see cref="PredictorOptions.KeptVersionsLoaded"/> held at once, the least recently used let go first (a batch
/// still running on it keeps it alive until it finishes).
/// </summary>
public sealed class KeptVersions(ModelRegistry registry, IOptions<PredictorOptions> options, ILogger<KeptVersions> logger)
{
    // Loads are rare and bounded in number, so one lock for lookups and loads keeps the list simple.
    private readonly Lock gate = new();
    private readonly LinkedList<ServedModel> loaded = new();

    /// <summary>A lease on <paramref name="version"/>, loading it first if need be.</summary>
    /// <exception cref="KeptVersionException">The version is not kept here, or its file fails verification.</exception>
    public ModelLease Lease(string version)
    {
        lock (gate)
        {
            for (var node = loaded.First; node is not null; node = node.Next)
            {
                if (node.Value.Manifest.Version != version || !node.Value.TryAcquire()) continue;
                loaded.Remove(node);
                loaded.AddFirst(node);
                return new ModelLease(node.Value);
            }

            var model = Load(version);
            model.TryAcquire();
            loaded.AddFirst(model);
            while (loaded.Count > options.Value.KeptVersionsLoaded)
            {
                var last = loaded.Last!.Value;
                loaded.RemoveLast();
                last.Release();
                logger.LogInformation("Let go of kept version {ModelVersion}: {Limit} are held at most", last.Manifest.Version, options.Value.KeptVersionsLoaded);
            }
            return new ModelLease(model);
        }
    }

    private ServedModel Load(string version)
    {
        if (!ModelRegistry.IsValidVersion(version) || registry.Find(version) is not { } manifest)
            throw new KeptVersionException($"version '{version}' is not kept");
        try
        {
            var model = ModelVerifier.Load(registry.VersionModelPath(version), options.Value.MaxModelBytes, manifest.Sha256);
            logger.LogInformation("Loaded kept version {ModelVersion} for requests that name it", version);
            return model;
        }
        catch (ModelStoreException e)
        {
            logger.LogWarning("Cannot run kept version {ModelVersion}: {Reason}", version, e.Message);
            throw new KeptVersionException($"version '{version}' cannot be run: {e.Message}");
        }
    }
}
