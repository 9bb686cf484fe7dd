using System.Globalization;
using MnistEvents.Contracts;

namespace MnistEvents.Trainer.Cli;

/// <summary>
/// Follows one training by the events the system publishes about it, told in words as they arrive: started, progress
/// (at most every two seconds and at each epoch's end), saved, the gate's verdict (also the one after shadowing), and
/// the activation. They come from several publishers through several exchanges, so in no promised order: the outcome
/// is decided from what has been seen, whatever came first.
/// </summary>
public sealed class RetrainWatch(Guid trainingId, TextWriter output, TextWriter error)
{
    /// <summary>The events a training's fate is told by; the broker's <c>retrainer</c> user may read exactly their exchanges.</summary>
    public static readonly IReadOnlyList<Type> Events =
    [
        typeof(TrainingStarted), typeof(TrainingProgressed), typeof(TrainingCompleted), typeof(TrainingFailed), typeof(RetrainRejected),
        typeof(ModelSaved), typeof(PromotionDecided), typeof(ModelActivated),
    ];

    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(2);

    private readonly Dictionary<string, PromotionDecided> verdicts = [];
    private readonly HashSet<string> activated = [];
    private string? candidate;
    private DateTimeOffset lastProgress = DateTimeOffset.MinValue;

    /// <returns>The outcome, once there is one; null while the training is still on its way.</returns>
    public RetrainOutcome? Observe(object message)
    {
        switch (message)
        {
            case TrainingStarted s when s.TrainingId == trainingId:
                Say(string.Create(CultureInfo.InvariantCulture,
                    $"Started on {s.Worker}: {s.Architecture}, {s.Epochs} epoch(s) of {s.TrainingExamples:N0} images, batch {s.BatchSize}, lr {s.LearningRate}"));
                break;
            case TrainingProgressed p when p.TrainingId == trainingId && (p.Step == p.StepsPerEpoch || p.At - lastProgress >= ProgressInterval):
                lastProgress = p.At;
                Say(string.Create(CultureInfo.InvariantCulture,
                    $"Epoch {p.Epoch}/{p.Epochs}, step {p.Step}/{p.StepsPerEpoch}: loss {p.Loss:0.0000}, accuracy {100 * p.Accuracy:0.0}%, {p.ExamplesPerSecond:0} images/s, about {p.EstimatedRemaining.TotalSeconds:0} s left"));
                break;
            case RetrainRejected r when r.TrainingId == trainingId:
                error.WriteLine($"request-retrain: the trainer refused the request: {r.Reason}");
                return RetrainOutcome.Failed;
            case TrainingFailed f when f.TrainingId == trainingId:
                error.WriteLine($"request-retrain: the training failed: {f.Reason}");
                return RetrainOutcome.Failed;
            case ModelSaved s when s.TrainingId == trainingId:
                candidate = s.Version;
                Say(string.Create(CultureInfo.InvariantCulture, $"Saved version {s.Version}{(s.TestAccuracy is { } accuracy ? $", test accuracy {100 * accuracy:0.00}%" : "")}"));
                break;
            case TrainingCompleted c when c.TrainingId == trainingId:
                candidate = c.ModelVersion;
                Say(string.Create(CultureInfo.InvariantCulture, $"Trained in {c.Duration.TotalSeconds:0.0} s"));
                break;
            case PromotionDecided d:
                if (d.TrainingId == trainingId) candidate = d.Candidate;
                if (d.Pending)
                {
                    if (d.Candidate == candidate) Say($"The gate let {d.Candidate} through: {d.Reason}; it serves once the replicas have shadowed it on {d.ShadowPredictions:N0} live digits");
                }
                else verdicts[d.Candidate] = d;
                break;
            case ModelActivated a:
                activated.Add(a.Version);
                break;
        }
        return Decide();
    }

    private RetrainOutcome? Decide()
    {
        if (candidate is null) return null;
        if (activated.Contains(candidate))
        {
            Say($"Version {candidate} serves{(verdicts.TryGetValue(candidate, out var promoted) ? $": {promoted.Reason}" : "")}");
            return RetrainOutcome.Served;
        }
        if (verdicts.TryGetValue(candidate, out var verdict) && !verdict.Promoted)
        {
            Say($"The gate refused {candidate}: {verdict.Reason}; {verdict.Active ?? "no version"} still serves");
            return RetrainOutcome.Refused;
        }
        return null;
    }

    private void Say(string line) => output.WriteLine(line);
}
