using MnistEvents.Contracts;

namespace MnistEvents.Registry;

/// <summary>Saving versions, adopting the seed's plain file as one, filling in scores, pruning.</summary>
public sealed partial class ModelRegistry
{
    /// <summary>
    /// Writes a new version's model file, its <paramref name="lineage"/> if known, and its manifest (last: a manifest
    /// names only a complete version); returns its <c>ModelSaved</c>.
    /// </summary>
    public RegistryChange SaveVersion(ModelManifest manifest, byte[] model, Guid? trainingId = null, TrainingLineage? lineage = null)
    {
        EnsureOneModelName();
        var directory = VersionDirectory(manifest.Version);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, volume.ModelFileName);
        RegistryFiles.WriteAtomically(path, model);
        if (lineage is not null) RegistryFiles.WriteJson(Path.Combine(directory, LineageName), lineage);
        RegistryFiles.WriteJson(ModelVolume.ManifestPath(path), manifest);
        return new RegistryChange([RegistryEvents.Saved(manifest, trainingId)]);
    }

    /// <summary>
    /// Moves the seed's plain model file (and its manifest, which the caller supplies when the file came without one)
    /// into the versions and points the store at it, so that what served before the first versioned save stays one
    /// activation away. The replicas serve the same bytes as before, so nothing is announced.
    /// </summary>
    public void Adopt(ModelManifest manifest)
    {
        using var _ = Lock();
        if (!HoldsUnversionedModel) return;
        EnsureOneModelName();
        var directory = VersionDirectory(manifest.Version);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, volume.ModelFileName);
        File.Copy(ModelPath, path, overwrite: true);
        RegistryFiles.WriteJson(ModelVolume.ManifestPath(path), manifest);
        ActivateLocked(manifest.Version, "adopted the unversioned model file", replacingPlainFile: true);
    }

    /// <summary>Fills in the scores and data profile of a version saved without them (the seed's adopted file) once they are known.</summary>
    public void RecordScores(string version, double mnist, double uploads, InputProfile? profile = null)
    {
        using var _ = Lock();
        if (Find(version) is not { } manifest || manifest is { TestAccuracy: not null, UploadsAccuracy: not null } && (manifest.Profile is not null || profile is null)) return;
        RegistryFiles.WriteJson(ModelVolume.ManifestPath(VersionModelPath(version)),
            manifest with { TestAccuracy = manifest.TestAccuracy ?? mnist, UploadsAccuracy = manifest.UploadsAccuracy ?? uploads, Profile = manifest.Profile ?? profile });
    }

    /// <summary>
    /// Deletes all but the newest <paramref name="keep"/> versions, never the active one, the one before it, or one
    /// whose promotion still waits on its shadowing. Returns the versions deleted.
    /// </summary>
    public IReadOnlyList<string> Prune(int keep)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        using var _ = Lock();
        var protectedVersions = new HashSet<string?>(StringComparer.Ordinal) { ActiveVersion, PreviousVersion, Shadow?.Version };
        var deleted = new List<string>();
        foreach (var manifest in Versions().Skip(keep))
        {
            if (protectedVersions.Contains(manifest.Version) || Decision(manifest.Version) is { Pending: true }) continue;
            Directory.Delete(VersionDirectory(manifest.Version), recursive: true);
            deleted.Add(manifest.Version);
        }
        return deleted;
    }
}
