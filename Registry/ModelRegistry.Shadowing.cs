namespace MnistEvents.Registry;

/// <summary>The shadow plan the replicas follow, and settling a candidate whose promotion waits on it.</summary>
public sealed partial class ModelRegistry
{
    /// <summary>
    /// Shadows <paramref name="next"/> from now on (null stops shadowing); what the plan replaced showed
    /// (<paramref name="soFar"/>, if known) is kept with its version. Only the candidate shadowed can wait on its
    /// shadowing: any other candidate still waiting (the one whose plan this replaces, or one whose plan a crash never
    /// wrote) is refused (<see cref="PromotionGate.Superseded"/>, <paramref name="why"/> saying what replaced it). A new
    /// plan for the same candidate keeps its wait. Returns those verdicts, then <c>ShadowStarted</c> for the new plan or
    /// <c>ShadowStopped</c> for the one stopped (<paramref name="by"/> names who asked).
    /// </summary>
    public RegistryChange ReplaceShadow(ShadowPlan? next, string why, string by, ShadowComparison? soFar = null)
    {
        using var _ = Lock();
        var current = Shadow;
        if (current is not null && next is not null && next.Version == current.Version)
            next = next with { PromoteAfter = next.PromoteAfter ?? current.PromoteAfter };
        else if (current is not null && soFar is not null && Find(current.Version) is not null)
            RecordShadowed(current.Version, soFar);

        var now = DateTimeOffset.UtcNow;
        var change = SupersedeWaiting(next?.Version, why, current is not null && current.Version != next?.Version ? soFar : null, now, current?.Version);
        if (next is not null)
        {
            RegistryFiles.WriteJson(volume.ShadowPlanPath, next);
            return change.Then(new RegistryChange([RegistryEvents.Started(next)]));
        }
        File.Delete(volume.ShadowPlanPath);
        return current is null ? change : change.Then(new RegistryChange([RegistryEvents.Stopped(current.Version, by, now)]));
    }

    /// <summary>
    /// Ends <paramref name="plan"/>, if it is still the one followed, with its candidate's final <paramref name="verdict"/>,
    /// activating the candidate if promoted and not already active (as the promotion of <paramref name="trainingId"/>);
    /// returns the verdict's <c>PromotionDecided</c>, the <c>ModelActivated</c> and the <c>ShadowStopped</c>. Null when it
    /// was already settled or replaced (a newer activation or plan): then nothing changed.
    /// </summary>
    public RegistryChange? SettleShadow(ShadowPlan plan, PromotionDecision verdict, string by, Guid? trainingId = null)
    {
        using var _ = Lock();
        if (Shadow != plan || verdict.Candidate != plan.Version || Decision(plan.Version) is not { Pending: true }) return null;
        var change = RecordDecision(verdict, trainingId);
        if (verdict.Shadow is { } shown) RecordShadowed(plan.Version, shown);
        File.Delete(volume.ShadowPlanPath);
        if (verdict.Promoted && ActiveVersion != plan.Version)
            change = change.Then(Activated(ActivateLocked(plan.Version, by, trainingId: trainingId)));
        return change.Then(new RegistryChange([RegistryEvents.Stopped(plan.Version, by, DateTimeOffset.UtcNow)]));
    }

    // Every candidate still waiting on its shadowing, but `except`, refused: a newer decision came first. `shownBy` is
    // the version whose shadowing showed `soFar`.
    private RegistryChange SupersedeWaiting(string? except, string why, ShadowComparison? soFar, DateTimeOffset now, string? shownBy = null)
    {
        var change = RegistryChange.None;
        var shown = shownBy ?? Shadow?.Version;
        foreach (var version in Versions().Select(v => v.Version).Where(v => v != except))
        {
            if (Decision(version) is not { Pending: true } waiting) continue;
            change = change.Then(RecordDecision(PromotionGate.Superseded(waiting, why, version == shown ? soFar : null, now)));
        }
        return change;
    }

    private void RecordShadowed(string version, ShadowComparison comparison) =>
        RegistryFiles.WriteJson(Path.Combine(VersionDirectory(version), ShadowedName), comparison);
}
