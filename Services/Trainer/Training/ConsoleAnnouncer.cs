using System.Globalization;
using MnistEvents.Contracts;
using MnistEvents.Registry;

namespace MnistEvents.Trainer.Training;

/// <summary>
/// Tells the person at the console what a training run announces, in words (progress itself is printed by
/// <see cref="ConsoleTrainingObserver"/>, in the seed's format), then hands each event to <paramref name="next"/> (the
/// bus), if any; <see cref="Describe"/> also tells what the controller then decided.
/// </summary>
public sealed class ConsoleAnnouncer(TextWriter output, TextWriter error, ModelVolume? volume, ITrainingAnnouncer? next = null) : ITrainingAnnouncer
{
    public async Task AnnounceAsync(object message, CancellationToken cancellationToken)
    {
        if (Describe(message) is { } line) (message is TrainingFailed ? error : output).WriteLine(line);
        if (next is not null) await next.AnnounceAsync(message, cancellationToken);
    }

    /// <summary>Words for a training's and its candidate's events, for the person at the console; null for those it does not tell.</summary>
    public string? Describe(object message) => message switch
    {
        TrainingStarted s => string.Create(CultureInfo.InvariantCulture,
            $"Training {s.Architecture} on {s.TrainingExamples} images, {s.Epochs} epoch(s), batch {s.BatchSize}, lr {s.LearningRate}"),
        ModelSaved s => $"Saved model {s.Version} in {volume?.VersionsDirectory} (sha256 {s.Sha256})",
        CandidateJudged { Passed: true } j => $"The gate passed {j.Candidate}: {j.Reason}",
        CandidateJudged j => $"The gate refused {j.Candidate}: {j.Reason}",
        PromotionDecided { Pending: true } d =>
            $"It serves once the replicas have shadowed it on {d.ShadowPredictions:N0} live digits (the controller promotes it), {d.Active} until then",
        ModelActivated a => $"Promoted: {volume?.ModelPath} serves {a.Version} (was {a.Previous ?? "none"})",
        ShadowStarted s => string.Create(CultureInfo.InvariantCulture, $"Shadowing {s.Version} on {s.SampleRate:P0} of live batches"),
        RetrainSettled { Outcome: RetrainSettled.Refused } r => $"Not served: {r.Reason}; {volume?.ModelPath} still serves what it did (--promote-regardless to serve it anyway)",
        RetrainSettled { Outcome: RetrainSettled.Superseded } r => $"Not served: {r.Reason}",
        TrainingFailed f => $"trainer: {f.Reason}",
        _ => null,
    };
}
