using MassTransit;
using Microsoft.Extensions.Options;
using MnistEvents.Contracts;
using MnistEvents.Controller.Sagas;
using MnistEvents.Registry;
using MnistEvents.ServiceDefaults.Bus;
using MnistEvents.ServiceDefaults.Retraining;

namespace MnistEvents.Controller.Retraining;

/// <summary>
/// What the <see cref="RetrainStateMachine"/> decides, and the model store changes that carry it out: whether a request
/// may run and when (one training at a time, the rest in line), and what a judged candidate becomes (served, shadowed
/// first, or refused), settled by the store's own record, which every activation and shadow plan goes through. Its
/// methods run inside a message's saga pipe, which holds the <see cref="FileSagaStore{TSaga}"/>: the other trainings
/// they read stand still meanwhile.
/// </summary>
public sealed class RetrainLifecycle(
    FileSagaStore<RetrainState> trainings,
    ModelRegistry registry,
    ShadowBoard shadows,
    IOptions<ControllerOptions> options,
    TimeProvider time,
    ILogger<RetrainLifecycle> logger)
{
    private ControllerOptions Options => options.Value;

    /// <summary>Why <paramref name="request"/> cannot run, or null: its settings (<see cref="RetrainRules"/>, the one check), then the line's length.</summary>
    public string? Refusal(RequestRetrain request)
    {
        if (RetrainRules.Refusal(request.Epochs, request.BatchSize, request.LearningRate, request.Limit, request.ShadowPredictions) is { } refusal) return refusal;
        var waiting = trainings.All().Count(t => t.Waiting && t.CorrelationId != request.TrainingId);
        return waiting >= Options.MaxQueued
            ? $"{waiting} trainings are already waiting their turn (Controller:MaxQueued is {Options.MaxQueued}); ask again when one has ended"
            : null;
    }

    /// <summary>The training as it will be started: what the request left out that the controller decides (shadowing) filled in.</summary>
    public StartTraining Training(RequestRetrain request) =>
        new(request.TrainingId, request.Epochs, request.BatchSize, request.LearningRate, request.Limit, request.RequestedBy, request.RequestedAt,
            request.PromoteRegardless, request.ShadowPredictions ?? Options.ShadowPredictions);

    /// <summary>How many trainings are ahead of <paramref name="training"/>: the one running and those waiting since before it.</summary>
    public int Ahead(RetrainState training) =>
        trainings.All().Count(t => t.CorrelationId != training.CorrelationId && (t.Running || t.Waiting && t.RequestedAt <= training.RequestedAt));

    /// <summary>Starts <paramref name="training"/> if no other holds the training slot and none waited longer; true if it did.</summary>
    public async Task<bool> TryStartAsync(RetrainState training, ConsumeContext context)
    {
        if (training.Training is not { } start || training.DispatchedAt is not null) return false;
        var others = trainings.All().Where(t => t.CorrelationId != training.CorrelationId).ToList();
        if (others.Any(t => t.Running) || others.Any(t => t.Waiting && t.RequestedAt < training.RequestedAt)) return false;
        var endpoint = await context.GetSendEndpoint(QueueNames.Address(QueueNames.StartTraining));
        await endpoint.Send(start, context.CancellationToken);
        training.DispatchedAt = time.GetUtcNow();
        logger.LogInformation("Training {TrainingId} started, asked by {RequestedBy}", training.CorrelationId, start.RequestedBy);
        return true;
    }

    /// <summary>Once <paramref name="ended"/> no longer holds the slot: the longest-waiting training is looked at, to start.</summary>
    public async Task NextAsync(RetrainState ended, ConsumeContext context)
    {
        if (trainings.All().Where(t => t.CorrelationId != ended.CorrelationId && t.Waiting).MinBy(t => t.RequestedAt) is not { } next) return;
        var endpoint = await context.GetSendEndpoint(RetrainStateMachineDefinition.Address);
        await endpoint.Send(new CheckRetrain(next.CorrelationId), context.CancellationToken);
    }

    /// <summary>True when <paramref name="training"/> holds the slot and its trainer has not been heard from for <see cref="ControllerOptions.TrainingSilenceMinutes"/>.</summary>
    public bool Silent(RetrainState training) =>
        training.Running && time.GetUtcNow() - (training.HeardAt ?? training.DispatchedAt ?? training.RequestedAt) > TimeSpan.FromMinutes(Options.TrainingSilenceMinutes);

    public string SilenceReason => $"its trainer was not heard from for {Options.TrainingSilenceMinutes:0.##} min (stopped, killed, or never started)";

    /// <summary>
    /// Decides what <paramref name="judged"/>'s candidate becomes and makes the store say so: refused (the gate's verdict
    /// recorded), shadowed first (a plan whose promotion waits on it; any other candidate waiting is superseded), or
    /// served (activated; any candidate waiting is superseded), and publishes what the store's changes imply. Each step
    /// is taken only if the store does not show it taken already, so a judgement handled again (its first try failed
    /// part-way, and nothing of it was published) finishes what is missing and decides nothing twice.
    /// </summary>
    public async Task<RetrainOutcomeView> DecideAsync(RetrainState training, CandidateJudged judged, IPublishEndpoint publish)
    {
        var version = judged.Candidate;
        var id = training.CorrelationId;
        training.Version = version;
        if (registry.Find(version) is not { } manifest) return Ended(RetrainSettled.Refused, $"its version {version} is not on the model volume");
        var by = $"the controller, for training {id}";
        RegistryChange change;
        try
        {
            if (registry.Decision(version) is { } earlier) change = new RegistryChange([RegistryEvents.Decided(earlier, id)]);
            else
            {
                var verdict = PromotionGate.Reported(judged);
                var shadowFirst = verdict.Promoted && judged.ShadowPredictions > 0 && judged.Active is not null && registry.ActiveVersion is not null;
                change = registry.RecordDecision(shadowFirst ? PromotionGate.AwaitingShadow(verdict, judged.ShadowPredictions) : verdict, id);
            }
            var recorded = registry.Decision(version)!;
            if (recorded is { Pending: true } && registry.Shadow?.Version != version)
            {
                var plan = new ShadowPlan(version, manifest.Sha256, judged.ShadowSampleRate ?? Options.ShadowSampleRate, recorded.ShadowPredictions, by, time.GetUtcNow());
                change = change.Then(registry.ReplaceShadow(plan, $"a newer candidate, {version} (training {id}), took its place", by, Seen()));
            }
            else if (recorded is { Promoted: true, Pending: false } && !registry.History().Any(a => a.TrainingId == id))
                change = change.Then(registry.Activate(version, by, id, Seen()));
        }
        catch (RegistryException e)
        {
            logger.LogWarning("Training {TrainingId}'s candidate {ModelVersion} could not be decided: {Reason}", id, version, e.Message);
            return Ended(RetrainSettled.Refused, $"the model store could not take {version}: {e.Message}");
        }
        await publish.PublishEachAsync(change.Events);
        var decision = registry.Decision(version)!;
        if (decision.Pending) training.ShadowPredictions = decision.ShadowPredictions;
        return Outcome(decision);
    }

    /// <summary>
    /// With <paramref name="report"/> counted, promotes the candidate <paramref name="training"/> waits on once the live
    /// replicas have compared it on as many digits as asked; then, or if something else already settled it, what the
    /// store says it became (null while it still waits).
    /// </summary>
    public async Task<RetrainOutcomeView?> ShadowedAsync(RetrainState training, ShadowReported report, IPublishEndpoint publish)
    {
        shadows.Reported(report);
        if (registry.Shadow is { PromoteAfter: { } needed } plan && plan.Version == training.Version
            && shadows.View(plan.Version) is { } seen && seen.Compared >= needed && registry.Decision(plan.Version) is { Pending: true } waiting)
        {
            var verdict = PromotionGate.Settled(waiting, $"shadowed on {seen.Compared:N0} live digits (of {needed:N0} asked) by {seen.Replicas.Count} replica(s)",
                seen.Comparison(), time.GetUtcNow());
            if (registry.SettleShadow(plan, verdict, $"the controller, promoting training {training.CorrelationId} after its shadowing", training.CorrelationId)
                is { } change)
            {
                logger.LogInformation("Promoted model {ModelVersion}: {Reason}", plan.Version, verdict.Reason);
                await publish.PublishEachAsync(change.Events);
            }
        }
        return Settled(training);
    }

    /// <summary>What the store says <paramref name="training"/>'s waiting candidate became, or null while it still waits.</summary>
    public RetrainOutcomeView? Settled(RetrainState training)
    {
        if (training.Version is not { } version) return null;
        if (registry.Decision(version) is not { } decision)
            return registry.Find(version) is null ? Ended(RetrainSettled.Superseded, $"its version {version} is no longer kept") : null;
        return decision.Pending ? null : Outcome(decision);
    }

    private static RetrainOutcomeView Outcome(PromotionDecision decision) =>
        decision.Pending ? new RetrainOutcomeView(null, decision.Reason)
        : decision.Promoted ? Ended(RetrainSettled.Promoted, decision.Reason)
        : decision.ShadowPredictions is not null ? Ended(RetrainSettled.Superseded, decision.Reason)
        : Ended(RetrainSettled.Refused, decision.Reason);

    private static RetrainOutcomeView Ended(string outcome, string reason) => new(outcome, reason);

    // What the candidate waiting now was shown so far: kept with it when a newer decision ends its wait.
    private ShadowComparison? Seen() => registry.Shadow is { } plan ? shadows.View(plan.Version)?.Comparison() : null;
}
