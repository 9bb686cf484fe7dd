using MnistEvents.Gateway.Predictions;
using MnistEvents.Gateway.Replicas;
using MnistEvents.Registry;

namespace MnistEvents.Gateway.Feedback;

/// <summary>
/// How the served model does on the corrections: the gateway has no model of its own, so the latest corrections' pixels
/// go to the predictors as ordinary predictions, and the score is kept until the served version or the corrections change.
/// A predictor that cannot answer now leaves the score out; it is not an error of <c>GET /feedback</c>.
/// </summary>
public sealed class FeedbackEvaluation(CorrectionsLog corrections, PredictionCoalescer predictors, ReplicaRegistry replicas, TimeProvider time,
    ILogger<FeedbackEvaluation> logger)
{
    private readonly SemaphoreSlim oneAtATime = new(1, 1);
    private (Guid Newest, CorrectionsScore Score)? cached;

    public async Task<FeedbackSummary> SummaryAsync(CancellationToken cancellationToken)
    {
        var kept = await corrections.CountAsync(cancellationToken);
        var summary = new FeedbackSummary(kept.Count, kept.PerLabel);
        var latest = await corrections.LatestAsync(cancellationToken);
        if (latest.Count == 0) return summary;

        await oneAtATime.WaitAsync(cancellationToken);
        try
        {
            if (cached is { } known && known.Newest == latest[^1].PredictionId && known.Score.Version == replicas.View().Current?.Version)
                return summary with { ActiveModel = known.Score };
            var score = await ScoreAsync(latest, cancellationToken);
            cached = (latest[^1].PredictionId, score);
            return summary with { ActiveModel = score };
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogInformation("Corrections not scored now: {Reason}", e.Message);
            return summary;
        }
        finally
        {
            oneAtATime.Release();
        }
    }

    /// <summary>
    /// The served model on <paramref name="corrections"/> (at least one), asked of the predictors as ordinary predictions:
    /// the share it labels as the person did. Throws when the predictors cannot answer now.
    /// </summary>
    public async Task<CorrectionsScore> ScoreAsync(IReadOnlyList<CorrectionRecord> corrections, CancellationToken cancellationToken)
    {
        var answers = await Task.WhenAll(corrections.Select(c => predictors.PredictAsync(c.Pixels, time.GetUtcNow(), cancellationToken)));
        var version = answers.GroupBy(a => a.ModelVersion).MaxBy(g => g.Count())!.Key;
        var correct = answers.Zip(corrections).Count(pair => pair.First.Digit == pair.Second.Label);
        return new CorrectionsScore(version, corrections.Count, correct / (double)corrections.Count);
    }
}
