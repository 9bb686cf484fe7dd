using System.Globalization;
using MnistEvents.Contracts;
using MnistEvents.Registry;

namespace MnistEvents.Trainer.Training;

/// <summary>
/// Tells the person at the console what a training run announces, in words (progress itself is printed by
/// <see cref="ConsoleTrainingObserver"/>, in the seed's format), then hands each event to <paramref name="next"/> (the
/// bus, for the Kubernetes Job), if any.
/// </summary>
public sealed class ConsoleAnnouncer(TextWriter output, TextWriter error, ModelVolume? volume, ITrainingAnnouncer? next = null) : ITrainingAnnouncer
{
    public async Task AnnounceAsync(object message, CancellationToken cancellationToken)
    {
        if (Describe(message) is { } line) (message is TrainingFailed ? error : output).WriteLine(line);
        if (next is not null) await next.AnnounceAsync(message, cancellationToken);
    }

    private string? Describe(object message) => message switch
    {
        TrainingStarted s => string.Create(CultureInfo.InvariantCulture,
            $"Training {s.Architecture} on {s.TrainingExamples} images, {s.Epochs} epoch(s), batch {s.BatchSize}, lr {s.LearningRate}"),
        ModelSaved s => $"Saved model {s.Version} in {volume?.VersionsDirectory} (sha256 {s.Sha256})",
        PromotionDecided { Pending: true } d =>
            $"Passed the gate: {d.Reason}; it serves once the replicas have shadowed it on {d.ShadowPredictions:N0} live digits (the gateway promotes it), {d.Active} until then",
        PromotionDecided { Promoted: true } d => $"Promoted: {d.Reason}; {volume?.ModelPath} serves it",
        PromotionDecided { TrainingId: null } d => $"Refused {d.Candidate}, which was waiting: {d.Reason}",
        PromotionDecided d => $"Refused: {d.Reason}; {volume?.ModelPath} still serves {d.Active} (--promote-regardless to serve it anyway)",
        ModelActivated a => $"Activated {a.Version} (was {a.Previous ?? "none"})",
        ShadowStarted s => string.Create(CultureInfo.InvariantCulture, $"Shadowing {s.Version} on {s.SampleRate:P0} of live batches"),
        TrainingFailed f => $"trainer: {f.Reason}",
        _ => null,
    };
}
