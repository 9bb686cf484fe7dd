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

        var change = RegistryChange.None;
        var now = DateTimeOffset.UtcNow;
        foreach (var version in Versions().Select(v => v.Version).Where(v => v != next?.Version))
        {
            if (Decision(version) is not { Pending: true } waiting) continue;
            change = change.Then(RecordDecision(PromotionGate.Superseded(waiting, why, version == current?.Version ? soFar : null, now)));
        }
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
    /// activating the candidate if promoted and not already active; returns the verdict's <c>PromotionDecided</c>, the
    /// <c>ModelActivated</c> and the <c>ShadowStopped</c>. Null when it was already settled or replaced (another gateway
    /// instance, a person): then nothing changed.
    /// </summary>
    public RegistryChange? SettleShadow(ShadowPlan plan, PromotionDecision verdict, string by)
    {
        using var _ = Lock();
        if (Shadow != plan || verdict.Candidate != plan.Version) return null;
        var change = RecordDecision(verdict);
        if (verdict.Shadow is { } shown) RecordShadowed(plan.Version, shown);
        File.Delete(volume.ShadowPlanPath);
        if (verdict.Promoted && ActiveVersion != plan.Version) change = change.Then(Activated(ActivateLocked(plan.Version, by)));
        return change.Then(new RegistryChange([RegistryEvents.Stopped(plan.Version, by, DateTimeOffset.UtcNow)]));
    }

    private void RecordShadowed(string version, ShadowComparison comparison) =>
        RegistryFiles.WriteJson(Path.Combine(VersionDirectory(version), ShadowedName), comparison);
}
