using MassTransit;
using Microsoft.Extensions.Options;
using MnistEvents.Contracts;
using MnistEvents.Model.Store;
using MnistEvents.Registry;
using MnistEvents.ServiceDefaults;

namespace MnistEvents.Predictor.Serving;

/// <summary>
/// The one way a replica changes model, whether a <c>ModelActivated</c> announced it or the volume was found to hold a
/// newer one: read the volume's model file only (<see cref="ModelVolume.ModelPath"/>: inside its directory, no larger than allowed), verify it, swap it in; or
/// refuse it with <c>ModelRejected</c> and keep serving the old model.
/// </summary>
public sealed class ModelSwapper(ModelHolder holder, ModelVolume volume, IOptions<PredictorOptions> options, ILogger<ModelSwapper> logger)
{
    private readonly SemaphoreSlim oneAtATime = new(1, 1);
    private string? lastRefusedSha256;

    public string ModelPath => volume.ModelPath;

    /// <summary>Serves the model file if it is new and sound. <paramref name="expectedSha256"/>: what an announcement said it must be (null when polling).</summary>
    public async Task TryServeAsync(string? expectedSha256, string? announcedVersion, IPublishEndpoint publish, CancellationToken cancellationToken)
    {
        await oneAtATime.WaitAsync(cancellationToken);
        try
        {
            if (expectedSha256 is not null && string.Equals(holder.Manifest?.Sha256, expectedSha256, StringComparison.OrdinalIgnoreCase)) return;
            ServedModel next;
            try
            {
                next = ModelVerifier.Load(ModelPath, options.Value.MaxModelBytes, expectedSha256);
            }
            catch (ModelStoreException e)
            {
                await RefuseAsync(expectedSha256, announcedVersion, e.Message, publish, cancellationToken);
                return;
            }
            if (string.Equals(next.Manifest.Sha256, holder.Manifest?.Sha256, StringComparison.Ordinal))
            {
                next.Release();
                return;
            }

            var previous = holder.Manifest?.Version;
            if (previous is null) holder.TrySetInitial(next);
            else holder.Swap(next);
            lastRefusedSha256 = null;
            logger.LogInformation("Swapped model {PreviousVersion} for {ModelVersion}", previous ?? "nothing", next.Manifest.Version);
        }
        finally
        {
            oneAtATime.Release();
        }
    }

    private async Task RefuseAsync(string? expectedSha256, string? announcedVersion, string reason, IPublishEndpoint publish, CancellationToken cancellationToken)
    {
        // The same bad file is met on every poll: say so once, not every two seconds. An announcement is always
        // answered, even when a poll met the file first: whoever activated that version waits to hear of it by name.
        var key = expectedSha256 ?? reason;
        if (announcedVersion is null && key == lastRefusedSha256) return;
        lastRefusedSha256 = key;
        var version = announcedVersion ?? "(on the volume)";
        var serving = holder.Manifest?.Version;
        if (serving is null)
            logger.LogError("Cannot serve the model at {ModelPath}: {Reason}", ModelPath, reason);
        else
            logger.LogError("Refusing model {ModelVersion} from {ModelPath}: {Reason}; still serving {ServedVersion}", version, ModelPath, reason, serving);
        await publish.Publish(new ModelRejected(ReplicaIdentity.Current, version, reason, serving, DateTimeOffset.UtcNow), cancellationToken);
    }
}
