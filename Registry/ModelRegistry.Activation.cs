namespace MnistEvents.Registry;

/// <summary>Moving the pointer, and the rules that keep it sound: a volume serves one model name, and the newest activation wins.</summary>
public sealed partial class ModelRegistry
{
    /// <summary>
    /// Points the store at <paramref name="version"/>, in one step with what that decides for a candidate waiting on its
    /// shadowing: if it is that candidate, it is promoted (served by hand); any other is superseded, its shadowing
    /// ended, so that no later report can serve it over this newer decision. <paramref name="trainingId"/> names the
    /// training whose promotion this is, if one; <paramref name="shadowed"/> what the waiting candidate's shadowing had
    /// shown, kept with it. Returns the verdicts' <c>PromotionDecided</c>, the <c>ModelActivated</c>, and the
    /// <c>ShadowStopped</c> of an ended shadowing, in that order.
    /// </summary>
    public RegistryChange Activate(string version, string by, Guid? trainingId = null, ShadowComparison? shadowed = null)
    {
        using var _ = Lock();
        if (Find(version) is null) throw new RegistryException($"there is no model version {version}");
        var now = DateTimeOffset.UtcNow;
        var plan = Shadow;
        var change = RegistryChange.None;
        if (plan is { PromoteAfter: { } needed } && plan.Version == version && Decision(version) is { Pending: true } waiting)
        {
            var seen = shadowed is null ? "" : $" after {shadowed.Compared:N0} of {needed:N0} shadowed live digits";
            change = RecordDecision(PromotionGate.Settled(waiting, $"served by hand ({by}){seen}", shadowed, now));
            if (shadowed is not null) RecordShadowed(version, shadowed);
        }
        else if (plan is { PromoteAfter: not null } && shadowed is not null && Find(plan.Version) is not null)
            RecordShadowed(plan.Version, shadowed);
        change = change.Then(SupersedeWaiting(version, $"{version} was activated ({by})", plan?.Version == version ? null : shadowed, now));
        change = change.Then(Activated(ActivateLocked(version, by, trainingId: trainingId)));
        if (plan is { PromoteAfter: not null })
        {
            File.Delete(volume.ShadowPlanPath);
            change = change.Then(new RegistryChange([RegistryEvents.Stopped(plan.Version, by, now)]));
        }
        return change;
    }

    private RegistryChange Activated(ModelActivation activation) =>
        Find(activation.Version) is { } manifest
            ? new RegistryChange([RegistryEvents.Activated(manifest, activation)], activation)
            : new RegistryChange([], activation);

    private ModelActivation ActivateLocked(string version, string by, bool replacingPlainFile = false, Guid? trainingId = null)
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

        var activation = new ModelActivation(version, previous == version ? history.Previous : previous, by, DateTimeOffset.UtcNow, trainingId);
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
