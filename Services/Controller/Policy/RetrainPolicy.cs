using MassTransit;
using Microsoft.Extensions.Options;
using MnistEvents.Contracts;
using MnistEvents.Controller.Drift;
using MnistEvents.Controller.Retraining;
using MnistEvents.Controller.Sagas;
using MnistEvents.Registry;

namespace MnistEvents.Controller.Policy;

/// <summary>
/// The system asking for its own retrain: the one place its rules live (<see cref="RetrainPolicyOptions"/>, off by
/// default), in the controller, which owns every lifecycle decision. Every <see cref="RetrainPolicyOptions.CheckSeconds"/>
/// it checks them in turn, and for each that holds asks for a retrain (its <c>RequestedBy</c> the rule's reason in words)
/// unless a training runs or waits its turn, its cause already fired, or the policy fired less than the interval ago.
/// Which causes fired, and when, is the trainings' own record (<see cref="RetrainState.Cause"/>): a restart never fires
/// one again. The rules:
/// <list type="number">
/// <item>trusted corrections since the last training (<see cref="CorrectionTrust"/>'s rules; a client's count capped, so
/// one client, however trusted, never fires it alone); cause: the newest version;</item>
/// <item>the served model's accuracy on the latest trusted corrections (again a client's count capped), asked of the
/// predictors; cause: the served version;</item>
/// <item>the live traffic's drift score above a threshold for a while (<see cref="DriftMonitor"/>); cause: the served version.</item>
/// </list>
/// Every firing and suppression is logged (a suppression once until its reason changes) and, after every check, the
/// policy as it stands is published (<see cref="RetrainPolicyChecked"/>), which every gateway shows on <c>GET /models</c>.
/// </summary>
public sealed class RetrainPolicy(
    IOptions<RetrainPolicyOptions> options,
    ModelRegistry registry,
    FileSagaStore<RetrainState> trainings,
    TrustedCorrections corrections,
    CorrectionsScoring scoring,
    DriftMonitor drift,
    IBus bus,
    TimeProvider time,
    ILogger<RetrainPolicy> logger) : BackgroundService
{
    public const string CorrectionsRule = "corrections";
    public const string AccuracyRule = "accuracy";
    public const string DriftRule = "drift";
    public const string Fired = "fired";
    public const string Suppressed = "suppressed";

    private const int RecentKept = 20;

    private readonly Lock gate = new();
    private readonly List<PolicyDecision> recent = [];
    // The kind of the latest decision per cause, so a suppression repeated check after check is logged once.
    private readonly Dictionary<string, string> lastKind = [];
    // Asked for, and not yet in the trainings' record: the state machine takes it in a moment.
    private readonly Dictionary<string, PolicyFired> asked = [];
    private (string Key, (string Version, int Evaluated, double Accuracy) Score)? scored;

    private RetrainPolicyOptions Rules => options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Rules.Enabled)
            logger.LogInformation("The retrain policy is off (RetrainPolicy:Enabled): retrains are asked for by people and other systems only");
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Rules.CheckSeconds), time);
        try
        {
            do
            {
                try
                {
                    // Off, it is still published: a gateway started since shows it.
                    var view = Rules.Enabled ? await CheckAsync(stoppingToken) : Unchecked();
                    await bus.Publish(view, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning("The retrain policy could not check its rules now: {Reason}", e.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Checks every rule once, acts on those that hold, and returns the policy as it then stands.</summary>
    public async Task<RetrainPolicyChecked> CheckAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var judged = Rules.TrustedCorrections > 0 || Rules.AccuracyBelow > 0 ? corrections.Judged() : CorrectionsJudged.None;
        (PolicyRule Rule, string? Reason)[] rules =
        [
            CheckCorrections(judged),
            await CheckAccuracyAsync(judged, cancellationToken),
            CheckDrift(now),
        ];
        var known = trainings.All();
        var running = known.Where(t => t.Running || t.Waiting).MinBy(t => t.RequestedAt)?.CorrelationId;
        foreach (var (rule, reason) in rules)
        {
            if (rule.Holds) await DecideAsync(rule, reason!, running, known, now, cancellationToken);
            else if (rule.Cause is { } cause)
                lock (gate) lastKind.Remove(cause);
        }
        lock (gate) return new RetrainPolicyChecked(Rules.Enabled, Rules.IntervalMinutes, [.. rules.Select(r => r.Rule)], [.. recent], LastFiring(trainings.All()), running, now);
    }

    private (PolicyRule, string?) CheckCorrections(CorrectionsJudged judged)
    {
        var rule = Conditions()[0];
        if (!rule.On) return (rule, null);
        var last = registry.Versions().FirstOrDefault();
        var since = last is null ? DateTimeOffset.MinValue : registry.Lineage(last.Version)?.StartedAt ?? last.TrainedAt;
        var fresh = judged.Trusted.Where(r => r.CorrectedAt > since).ToList();
        var counted = fresh.GroupBy(CorrectionTrust.Client).Sum(c => Math.Min(c.Count(), Rules.CountedPerClient));
        var clients = fresh.Select(CorrectionTrust.Client).Distinct().Count();
        var after = last is null ? "since the start" : $"since {last.Version}";
        var now = $"{counted:N0} counted of {fresh.Count:N0} new trusted correction(s) {after}, from {clients} client(s)";
        return (rule with { Now = now, Holds = counted >= Rules.TrustedCorrections, Cause = $"corrections-since-{last?.Version ?? "start"}" },
            $"policy: {counted:N0} new trusted corrections {after} (from {clients} clients)");
    }

    private async Task<(PolicyRule, string?)> CheckAccuracyAsync(CorrectionsJudged judged, CancellationToken cancellationToken)
    {
        var rule = Conditions()[1];
        if (!rule.On) return (rule, null);
        var latest = Latest(judged.Trusted);
        if (latest.Count < Rules.ScoredCorrections)
            return (rule with { Now = $"{latest.Count:N0} of the {Rules.ScoredCorrections:N0} trusted corrections it scores on" }, null);
        var served = registry.ActiveVersion ?? registry.ActiveManifest?.Version;
        var key = $"{latest[^1].PredictionId}|{latest.Count}|{served}";
        (string Version, int Evaluated, double Accuracy) score;
        if (scored is { } known && known.Key == key) score = known.Score;
        else
        {
            try
            {
                score = await scoring.ScoreAsync(corrections.WithPixels(latest), cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return (rule with { Now = $"not scored now: {e.Message}" }, null);
            }
            scored = (key, score);
        }
        var now = $"{score.Version} labels {score.Accuracy * 100:0.#}% of the latest {score.Evaluated:N0} trusted corrections as people did";
        return (rule with { Now = now, Holds = score.Accuracy < Rules.AccuracyBelow, Cause = $"accuracy-of-{score.Version}" },
            $"policy: {score.Version} labels {score.Accuracy * 100:0}% of the latest {score.Evaluated:N0} trusted corrections as people did, below {Rules.AccuracyBelow * 100:0.#}%");
    }

    // The newest trusted corrections, at most CountedPerClient from one client, oldest first: no one client decides the score.
    private List<CorrectionRecord> Latest(IReadOnlyList<CorrectionRecord> trusted)
    {
        var perClient = new Dictionary<string, int>();
        var latest = new List<CorrectionRecord>();
        for (var i = trusted.Count - 1; i >= 0 && latest.Count < Rules.ScoredCorrections; i--)
        {
            var client = CorrectionTrust.Client(trusted[i]);
            if ((perClient[client] = perClient.GetValueOrDefault(client) + 1) <= Rules.CountedPerClient) latest.Add(trusted[i]);
        }
        latest.Reverse();
        return latest;
    }

    private (PolicyRule, string?) CheckDrift(DateTimeOffset at)
    {
        var rule = Conditions()[2];
        if (!rule.On) return (rule, null);
        var current = drift.Current;
        if (current.Score is not { } score || current.Version is not { } version) return (rule with { Now = current.State }, null);
        var since = drift.AboveSince(Rules.DriftAbove);
        var minutes = since is { } start ? (at - start).TotalMinutes : 0;
        var now = $"{score:0.000} ({current.Feature}) on {current.Digits:N0} live digits" + (since is null ? "" : $", above {Rules.DriftAbove:0.##} for {minutes:0.#} min");
        return (rule with { Now = now, Holds = since is not null && minutes >= Rules.DriftMinutes, Cause = $"drift-on-{version}" },
            $"policy: live digits drifted from {version}'s data, score {score:0.00} ({current.Feature}) above {Rules.DriftAbove:0.##} for {minutes:0.#} min");
    }

    private async Task DecideAsync(PolicyRule rule, string reason, Guid? running, IReadOnlyList<RetrainState> known, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var cause = rule.Cause!;
        if (running is { } training)
        {
            Suppress(rule, reason, "running", $"training {training} is running", now);
            return;
        }
        if (Firings(known).FirstOrDefault(f => f.Cause == cause) is { } earlier)
        {
            Suppress(rule, reason, "already-fired", $"it fired for this cause at {earlier.FiredAt:u} (training {earlier.TrainingId})", now);
            return;
        }
        if (LastFiring(known) is { } last && now - last.FiredAt < TimeSpan.FromMinutes(Rules.IntervalMinutes))
        {
            Suppress(rule, reason, "too-soon",
                $"the policy fired {(now - last.FiredAt).TotalMinutes:0.#} min ago ({last.Cause}, training {last.TrainingId}); at most once every {Rules.IntervalMinutes:0.##} min", now);
            return;
        }
        var request = new RequestRetrain(NewId.NextGuid(), Rules.Epochs, null, null, Rules.Limit, reason, now, ShadowPredictions: Rules.ShadowPredictions);
        try
        {
            var endpoint = await bus.GetSendEndpoint(RetrainStateMachineDefinition.Address);
            await endpoint.Send(new PolicyAsked(request, rule.Rule, cause), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Suppress(rule, reason, "not-sent", $"the retrain could not be asked for: {e.Message}", now);
            return;
        }
        lock (gate) asked[cause] = new PolicyFired(cause, rule.Rule, reason, request.TrainingId, now);
        logger.LogInformation("The retrain policy fired ({Rule}, {Cause}): {Reason}; asked for training {TrainingId}", rule.Rule, cause, reason, request.TrainingId);
        Record(new PolicyDecision(now, rule.Rule, cause, Fired, reason, null, request.TrainingId, 1, now), Fired);
    }

    // Every cause fired: those the trainings record, and those asked for that they do not record yet, newest first.
    private List<PolicyFired> Firings(IReadOnlyList<RetrainState> known)
    {
        var recorded = known.Where(t => t.Cause is not null)
            .Select(t => new PolicyFired(t.Cause!, t.Rule ?? "", t.Training?.RequestedBy ?? "", t.CorrelationId, t.RequestedAt)).ToList();
        lock (gate)
        {
            foreach (var cause in asked.Keys.Where(c => recorded.Any(r => r.Cause == c)).ToList()) asked.Remove(cause);
            return [.. recorded.Concat(asked.Values).OrderByDescending(f => f.FiredAt)];
        }
    }

    private PolicyFired? LastFiring(IReadOnlyList<RetrainState> known) => Firings(known).FirstOrDefault();

    private void Suppress(PolicyRule rule, string reason, string kind, string why, DateTimeOffset now)
    {
        if (Record(new PolicyDecision(now, rule.Rule, rule.Cause!, Suppressed, reason, why, null, 1, now), kind))
            logger.LogInformation("The retrain policy held back ({Rule}, {Cause}): {Reason}; {Why}", rule.Rule, rule.Cause, reason, why);
    }

    // True when it is a new entry; a repeat of the latest kind for its cause is counted on that entry instead.
    private bool Record(PolicyDecision decision, string kind)
    {
        lock (gate)
        {
            var index = recent.FindIndex(d => d.Cause == decision.Cause);
            if (index >= 0 && lastKind.GetValueOrDefault(decision.Cause) == kind)
            {
                var repeated = recent[index];
                recent[index] = repeated with { Why = decision.Why, Times = repeated.Times + 1, LastAt = decision.At };
                return false;
            }
            lastKind[decision.Cause] = kind;
            recent.Insert(0, decision);
            if (recent.Count > RecentKept) recent.RemoveAt(recent.Count - 1);
            return true;
        }
    }

    private RetrainPolicyChecked Unchecked() =>
        new(Rules.Enabled, Rules.IntervalMinutes, Conditions(), [], LastFiring(trainings.All()), null, null);

    private PolicyRule[] Conditions() =>
    [
        new(CorrectionsRule, $"at least {Rules.TrustedCorrections:N0} trusted corrections since the last training, at most {Rules.CountedPerClient:N0} counted from one client",
            Rules.TrustedCorrections, Rules.TrustedCorrections > 0, null, false, null),
        new(AccuracyRule, $"the served model labels fewer than {Rules.AccuracyBelow * 100:0.#}% of the latest {Rules.ScoredCorrections:N0} trusted corrections as people did, at most {Rules.CountedPerClient:N0} from one client",
            Rules.AccuracyBelow, Rules.AccuracyBelow > 0, null, false, null),
        new(DriftRule, $"the live digits' drift score above {Rules.DriftAbove:0.##} for {Rules.DriftMinutes:0.##} min", Rules.DriftAbove, Rules.DriftAbove > 0, null, false, null),
    ];
}
