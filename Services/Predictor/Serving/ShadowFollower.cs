using Microsoft.Extensions.Options;
using MnistEvents.Model.Store;
using MnistEvents.Registry;

namespace MnistEvents.Predictor.Serving;

/// <summary>
/// Keeps this replica shadowing what the volume's plan names (<see cref="ModelRegistry.Shadow"/>): at once when a
/// <c>ShadowStarted</c> arrives, and on every heartbeat, so a replica that starts, restarts or missed the event follows
/// the plan too. The candidate is read from this replica's own versions, by name, never by a path in a message, and
/// verified like a served model (sha256, smoke inference) before it runs; one that fails is not tried again until the
/// plan changes.
/// </summary>
public sealed class ShadowFollower(ShadowRunner shadow, ModelRegistry registry, IOptions<PredictorOptions> options, ILogger<ShadowFollower> logger)
{
    private readonly Lock gate = new();
    private Plan? followed;

    /// <summary>Follows an announced plan (a rate of 0 or less stops shadowing).</summary>
    public void Follow(string version, string sha256, double sampleRate)
    {
        lock (gate) Apply(sampleRate > 0 && double.IsFinite(sampleRate) ? new Plan(version, sha256, Math.Min(1, sampleRate)) : null);
    }

    /// <summary>Stops shadowing <paramref name="version"/>, if that is what this replica follows (a later plan is not undone by an earlier stop).</summary>
    public void Stop(string version)
    {
        lock (gate)
            if (followed?.Version == version) Apply(null);
    }

    /// <summary>Follows the plan on the volume, if it is not already what this replica follows.</summary>
    public void CatchUp()
    {
        var plan = registry.Shadow;
        Follow(plan?.Version ?? "", plan?.Sha256 ?? "", plan?.SampleRate ?? 0);
    }

    private void Apply(Plan? plan)
    {
        if (plan == followed) return;
        var before = followed;
        followed = plan;
        if (plan is null)
        {
            shadow.Stop();
            logger.LogInformation("Stopped shadowing {ModelVersion}", before?.Version);
            return;
        }
        if (!ModelRegistry.IsValidVersion(plan.Version))
        {
            shadow.Stop();
            logger.LogWarning("Not shadowing '{ModelVersion}': not a version name", plan.Version);
            return;
        }
        try
        {
            var path = registry.VersionModelPath(plan.Version);
            shadow.Start(ModelVerifier.Load(path, options.Value.MaxModelBytes, plan.Sha256), plan.SampleRate);
            logger.LogInformation("Shadowing {ModelVersion} on {SampleRate:P0} of batches", plan.Version, plan.SampleRate);
        }
        catch (ModelStoreException e)
        {
            shadow.Stop();
            logger.LogWarning("Not shadowing {ModelVersion}: {Reason}", plan.Version, e.Message);
        }
    }

    private sealed record Plan(string Version, string Sha256, double SampleRate);
}
