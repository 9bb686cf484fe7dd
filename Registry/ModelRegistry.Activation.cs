namespace MnistEvents.Registry;

/// <summary>Moving the pointer, and the rule that keeps it sound: a volume serves one model name.</summary>
public sealed partial class ModelRegistry
{
    /// <summary>Points the store at <paramref name="version"/>; returns its <c>ModelActivated</c> and the history line written.</summary>
    public RegistryChange Activate(string version, string by)
    {
        using var _ = Lock();
        return Activated(ActivateLocked(version, by));
    }

    private RegistryChange Activated(ModelActivation activation) =>
        Find(activation.Version) is { } manifest
            ? new RegistryChange([RegistryEvents.Activated(manifest, activation)], activation)
            : new RegistryChange([], activation);

    private ModelActivation ActivateLocked(string version, string by, bool replacingPlainFile = false)
    {
        EnsureOneModelName();
        var path = VersionModelPath(version);
        if (!File.Exists(path) || Find(version) is null) throw new RegistryException($"there is no model version {version}");
        var previous = ActiveVersion;

        if (HoldsUnversionedModel && !replacingPlainFile)
            throw new RegistryException($"{ModelPath} is a plain file, not yet adopted as a version; a trainer adopts it at its next save");
        // The seed's path and its manifest point through the pointer, once; after that only the pointer moves.
        var relativeModel = volume.ActiveModelTarget;
        if (new FileInfo(ModelPath).LinkTarget != relativeModel) RegistryFiles.LinkAtomically(ModelPath, relativeModel);
        if (new FileInfo(volume.ModelManifestPath).LinkTarget != ModelVolume.ManifestPath(relativeModel))
            RegistryFiles.LinkAtomically(volume.ModelManifestPath, ModelVolume.ManifestPath(relativeModel));
        RegistryFiles.LinkAtomically(volume.ActiveLink, Path.GetRelativePath(volume.Root, VersionDirectory(version)));

        var activation = new ModelActivation(version, previous == version ? history.Previous : previous, by, DateTimeOffset.UtcNow);
        history.Append(activation);
        return activation;
    }

    /// <summary>
    /// Refuses to store a model under a second name in a volume that already serves another: both links would go
    /// through one pointer, and activating either name's version would leave the other's dangling.
    /// </summary>
    private void EnsureOneModelName()
    {
        if (!Directory.Exists(volume.Root)) return;
        foreach (var entry in new DirectoryInfo(volume.Root).EnumerateFiles())
        {
            if (entry.LinkTarget is not { } target || Path.GetDirectoryName(target) != ModelVolume.ActiveLinkName) continue;
            var served = Path.GetFileName(target);
            if (served == volume.ModelFileName || served == ModelVolume.ManifestPath(volume.ModelFileName)) continue;
            var other = served.EndsWith(".json", StringComparison.Ordinal) ? served[..^".json".Length] : served;
            throw new RegistryException(
                $"{volume.Root} already serves the model {other}; a volume holds one model name, so save {volume.ModelFileName} in a directory of its own, or as {Path.Combine(volume.Root, other)}");
        }
    }
}
