using System.Globalization;
using MnistEvents.Contracts;

namespace MnistEvents.Registry;

/// <summary>
/// The one rule for promotion, and every verdict's words: a candidate replaces the active model only if it is not worse
/// by more than the tolerance on the MNIST test set and on the real-uploads validation set, or when a person asked
/// regardless; one that passes may first wait on shadowing, which settles it (promoted) or is superseded before it
/// could (refused). Scores are fractions (0..1); the tolerance is in percentage points. The store records verdicts; it
/// makes none.
/// </summary>
public static class PromotionGate
{
    public static PromotionDecision Judge(string candidate, double candidateMnist, double candidateUploads,
        string? active, double? activeMnist, double? activeUploads, double tolerancePoints, bool regardless, DateTimeOffset at)
    {
        PromotionDecision Decide(bool promoted, string reason) => new(candidate, active, promoted, regardless && promoted, reason,
            candidateMnist, candidateUploads, activeMnist, activeUploads, tolerancePoints, at);

        if (active is null || activeMnist is not { } mnist || activeUploads is not { } uploads)
            return Decide(true, "the first model: there is none to compare it with");

        var shortfalls = new List<string>();
        if ((mnist - candidateMnist) * 100 > tolerancePoints) shortfalls.Add($"MNIST test {Percent(candidateMnist)} vs {Percent(mnist)}");
        if ((uploads - candidateUploads) * 100 > tolerancePoints) shortfalls.Add($"real uploads {Percent(candidateUploads)} vs {Percent(uploads)}");
        var scores = $"MNIST test {Percent(candidateMnist)} vs {Percent(mnist)}, real uploads {Percent(candidateUploads)} vs {Percent(uploads)}";
        var tolerance = tolerancePoints.ToString("0.##", CultureInfo.InvariantCulture);

        if (shortfalls.Count == 0)
            return Decide(true, $"not worse than {active} by more than {tolerance} points: {scores}");
        var worse = $"worse than {active} by more than {tolerance} points: {string.Join(", ", shortfalls)}";
        return regardless ? Decide(true, $"promoted regardless, as asked, though {worse}") : Decide(false, worse);
    }

    /// <summary>The verdict a trainer reported (<see cref="RegistryEvents.Judged"/>), as the store records it: promoted if the gate passed it.</summary>
    public static PromotionDecision Reported(CandidateJudged judged) =>
        new(judged.Candidate, judged.Active, judged.Passed, judged.Forced, judged.Reason, judged.CandidateMnist, judged.CandidateUploads, judged.ActiveMnist,
            judged.ActiveUploads, judged.TolerancePoints, judged.JudgedAt, HeldBackCorrections: judged.HeldBackCorrections,
            CandidateCorrections: judged.CandidateCorrections, ActiveCorrections: judged.ActiveCorrections, TrainedCorrections: judged.TrainedCorrections,
            RefusedCorrections: judged.RefusedCorrections);

    /// <summary>The verdict with each model's score on the corrections held back from training, which it was also judged on.</summary>
    public static PromotionDecision WithHeldBackCorrections(PromotionDecision decision, int heldBack, double candidate, double? active)
    {
        var versus = active is { } served ? $" vs {Percent(served)}" : "";
        return decision with
        {
            HeldBackCorrections = heldBack, CandidateCorrections = candidate, ActiveCorrections = active,
            Reason = $"{decision.Reason}; on the {heldBack} corrections held back, {Percent(candidate)}{versus}",
        };
    }

    /// <summary>The verdict with what the training made of people's corrections: <paramref name="summary"/> says how many were trained on, held back and refused, and why.</summary>
    public static PromotionDecision WithCorrectionsUsed(PromotionDecision decision, int trained, int refused, string summary) =>
        decision with { TrainedCorrections = trained, RefusedCorrections = refused, Reason = $"{decision.Reason}; corrections: {summary}" };

    /// <summary>A candidate that passed, waiting to be shadowed on <paramref name="predictions"/> live digits before it serves.</summary>
    public static PromotionDecision AwaitingShadow(PromotionDecision passed, long predictions) =>
        passed with { Promoted = false, Pending = true, ShadowPredictions = predictions };

    /// <summary>A waiting candidate promoted: its shadowing is done, or a person served it first (<paramref name="what"/> says which).</summary>
    public static PromotionDecision Settled(PromotionDecision waiting, string what, ShadowComparison? seen, DateTimeOffset at)
    {
        var agreement = seen is { Compared: > 0 }
            ? $", answering {(100.0 * seen.Agreed / seen.Compared).ToString("0.0", CultureInfo.InvariantCulture)}% of them as the served model did"
            : "";
        return waiting with { Promoted = true, Pending = false, DecidedAt = at, Reason = $"{waiting.Reason}; then {what}{agreement}", Shadow = seen };
    }

    /// <summary>A waiting candidate that never will be promoted: <paramref name="why"/> (another plan replaced its) happened first.</summary>
    public static PromotionDecision Superseded(PromotionDecision waiting, string why, ShadowComparison? shown, DateTimeOffset at) =>
        waiting with
        {
            Pending = false, Promoted = false, DecidedAt = at, Shadow = shown,
            Reason = $"{waiting.Reason}; but not promoted: {why} before it was shadowed on {waiting.ShadowPredictions:N0} live digits",
        };

    public static string Percent(double fraction) => (fraction * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%";
}
