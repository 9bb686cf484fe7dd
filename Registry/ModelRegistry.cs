using System.Text.RegularExpressions;

namespace MnistEvents.Registry;

/// <summary>
/// The versioned model store on the volume (<see cref="ModelVolume"/> lays it out): kept versions, the active pointer,
/// the activation history, the gate's verdicts and the shadow plan. This file reads it; saving and pruning, activating,
/// and shadowing are in the files beside it, and each change returns the events it implies (<see cref="RegistryChange"/>).
/// A volume that holds only a plain <c>mnist.pt</c> (the seed's layout) is served as it is; the first version saved
/// beside it adopts it as a version (see <see cref="Adopt"/>), so it can be rolled back to.
/// </summary>
public sealed partial class ModelRegistry(ModelVolume volume)
{
    private const string DecisionName = "promotion.json";
    private const string ShadowedName = "shadowed.json";
    private const string LineageName = "training.json";

    private readonly ActivationHistory history = new(volume);

    public ModelRegistry(string modelPath) : this(new ModelVolume(modelPath))
    {
    }

    public ModelVolume Volume => volume;

    /// <summary>The served path: a link into the active version, or the seed's plain file.</summary>
    public string ModelPath => volume.ModelPath;

    public string VersionsDirectory => volume.VersionsDirectory;

    /// <summary>Versions are names the trainer made (<c>yyyyMMdd-HHmmss-sha8</c>, or <c>unversioned-sha8</c>); nothing else is a path here.</summary>
    public static bool IsValidVersion(string? version) => version is not null && VersionPattern().IsMatch(version);

    public string VersionDirectory(string version)
    {
        if (!IsValidVersion(version)) throw new RegistryException($"'{version}' is not a model version name");
        return Path.Combine(volume.VersionsDirectory, version);
    }

    public string VersionModelPath(string version) => Path.Combine(VersionDirectory(version), volume.ModelFileName);

    /// <summary>True when <see cref="ModelPath"/> is the seed's plain file rather than a link into the versions.</summary>
    public bool HoldsUnversionedModel => File.Exists(ModelPath) && new FileInfo(ModelPath).LinkTarget is null;

    /// <summary>Every kept version's manifest, newest first; a version whose manifest cannot be read is left out.</summary>
    public IReadOnlyList<ModelManifest> Versions()
    {
        if (!Directory.Exists(volume.VersionsDirectory)) return [];
        var manifests = new List<ModelManifest>();
        foreach (var directory in Directory.EnumerateDirectories(volume.VersionsDirectory))
            if (Find(Path.GetFileName(directory)) is { } manifest) manifests.Add(manifest);
        return manifests.OrderByDescending(m => m.TrainedAt).ThenByDescending(m => m.Version, StringComparer.Ordinal).ToArray();
    }

    /// <summary>The kept version's manifest, or null when there is no such version or its manifest cannot be read.</summary>
    public ModelManifest? Find(string version) =>
        IsValidVersion(version) && ReadSound<ModelManifest>(ModelVolume.ManifestPath(VersionModelPath(version))) is { } manifest && manifest.Version == version
            ? manifest
            : null;

    /// <summary>The version the pointer names, or null when there is no pointer (nothing saved yet, or only the seed's plain file).</summary>
    public string? ActiveVersion =>
        new FileInfo(volume.ActiveLink).LinkTarget is { } target && Path.GetFileName(target.TrimEnd('/')) is var name && IsValidVersion(name) ? name : null;

    /// <summary>The manifest of what <see cref="ModelPath"/> serves: the active version's, or the seed's plain file's if it has one.</summary>
    public ModelManifest? ActiveManifest => ActiveVersion is { } version ? Find(version) : ReadSound<ModelManifest>(volume.ModelManifestPath);

    /// <summary>The version that was active before the current one, which pruning keeps for a rollback.</summary>
    public string? PreviousVersion => history.Previous;

    public IReadOnlyList<ModelActivation> History() => history.Read();

    public PromotionDecision? Decision(string version) =>
        IsValidVersion(version) ? ReadSound<PromotionDecision>(Path.Combine(VersionDirectory(version), DecisionName)) : null;

    /// <summary>What the replicas shadow now, or null when nothing is.</summary>
    public ShadowPlan? Shadow => ReadSound<ShadowPlan>(volume.ShadowPlanPath) is { } plan && IsValidVersion(plan.Version) ? plan : null;

    /// <summary>What shadowing <paramref name="version"/> last showed, kept when its shadowing ended; null if it never was.</summary>
    public ShadowComparison? Shadowed(string version) =>
        IsValidVersion(version) ? ReadSound<ShadowComparison>(Path.Combine(VersionDirectory(version), ShadowedName)) : null;

    /// <summary>Where <paramref name="version"/> came from, as its training wrote it; null for one saved without (the seed's adopted file, or before lineage was kept).</summary>
    public TrainingLineage? Lineage(string version) =>
        IsValidVersion(version) ? ReadSound<TrainingLineage>(Path.Combine(VersionDirectory(version), LineageName)) : null;

    /// <summary>Records the gate's verdict on a kept version; returns its <c>PromotionDecided</c>.</summary>
    public RegistryChange RecordDecision(PromotionDecision decision, Guid? trainingId = null)
    {
        RegistryFiles.WriteJson(Path.Combine(VersionDirectory(decision.Candidate), DecisionName), decision);
        return new RegistryChange([RegistryEvents.Decided(decision, trainingId)]);
    }

    private IDisposable Lock() => VolumeLock.Take(volume);

    // Half-written by a trainer that is still saving it, or damaged: read as absent, never as a failure of whoever asked.
    private static T? ReadSound<T>(string path) where T : class
    {
        try
        {
            return RegistryFiles.Read<T>(path);
        }
        catch (Exception e) when (e is RegistryException or IOException)
        {
            return null;
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex VersionPattern();
}
