using MassTransit;
using MnistEvents.Registry;
using MnistEvents.ServiceDefaults.Bus;

namespace MnistEvents.Gateway.Models;

/// <summary>
/// Settles a candidate whose promotion waits on shadowing: promoted once the live replicas have compared it with the
/// served model on as many digits as its plan asks (or when a person serves it by hand first). The store's lock decides
/// which gateway instance settles it; the others find the plan gone and do nothing.
/// </summary>
public sealed class ShadowPromotion(ModelCatalog catalog, ShadowBoard board, TimeProvider time, ILogger<ShadowPromotion> logger)
{
    /// <summary>Called with every shadow report: promotes the waiting candidate once enough digits were compared.</summary>
    public async Task SettleIfDueAsync(IPublishEndpoint publish, CancellationToken cancellationToken)
    {
        if (catalog.Registry.Shadow is not { PromoteAfter: { } needed } plan) return;
        if (board.View(plan.Version) is not { } seen || seen.Compared < needed) return;
        await SettleAsync(plan, seen, $"shadowed on {seen.Compared:N0} live digits (of {needed:N0} asked) by {seen.Replicas.Count} replica(s)",
            "its shadowing", publish, cancellationToken);
    }

    /// <summary>A person served the waiting candidate before its shadowing was done: that settles it too.</summary>
    public async Task ServedByHandAsync(string version, string by, IPublishEndpoint publish, CancellationToken cancellationToken)
    {
        if (catalog.Registry.Shadow is not { PromoteAfter: { } needed } plan || plan.Version != version) return;
        var seen = board.View(version);
        await SettleAsync(plan, seen, $"served by hand ({by}) after {seen?.Compared ?? 0:N0} of {needed:N0} shadowed live digits", by, publish,
            cancellationToken);
    }

    private async Task SettleAsync(ShadowPlan plan, ShadowView? seen, string what, string by, IPublishEndpoint publish, CancellationToken cancellationToken)
    {
        var registry = catalog.Registry;
        if (registry.Decision(plan.Version) is not { Pending: true } waiting) return;
        var verdict = PromotionGate.Settled(waiting, what, seen?.Comparison(), time.GetUtcNow());
        if (registry.SettleShadow(plan, verdict, $"promotion after {by}") is not { } change) return;
        logger.LogInformation("Promoted model {ModelVersion}: {Reason}", plan.Version, verdict.Reason);
        await publish.PublishEachAsync(change.Events, cancellationToken);
    }
}
