using System.Globalization;
using MnistEvents.Contracts;

namespace MnistEvents.Trainer.Cli;

/// <summary>
/// Follows one training by its id alone, told in words as its events arrive: started, progress (at most every two
/// seconds and at each epoch's end), saved, the gate's judgement, the wait on shadowing; it ends with the one event that
/// ends a training, <see cref="RetrainSettled"/>.
/// </summary>
public sealed class RetrainWatch(Guid trainingId, TextWriter output, TextWriter error)
{
    /// <summary>The events a training's story is told by; the broker's <c>retrainer</c> user may read exactly their exchanges.</summary>
    public static readonly IReadOnlyList<Type> Events =
    [
        typeof(TrainingStarted), typeof(TrainingProgressed), typeof(TrainingFailed), typeof(RetrainRejected), typeof(ModelSaved), typeof(CandidateJudged),
        typeof(PromotionDecided), typeof(RetrainSettled),
    ];

    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(2);

    private DateTimeOffset lastProgress = DateTimeOffset.MinValue;
    // What served when the gate judged the candidate: still what serves if it is refused.
    private string? served;

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
                error.WriteLine($"request-retrain: the controller refused the request: {r.Reason}");
                break;
            case TrainingFailed f when f.TrainingId == trainingId:
                error.WriteLine($"request-retrain: the training failed: {f.Reason}");
                break;
            case ModelSaved s when s.TrainingId == trainingId:
                Say(string.Create(CultureInfo.InvariantCulture, $"Saved version {s.Version}{(s.TestAccuracy is { } accuracy ? $", test accuracy {100 * accuracy:0.00}%" : "")}"));
                break;
            case CandidateJudged j when j.TrainingId == trainingId:
                served = j.Active;
                Say($"The gate {(j.Passed ? "passed" : "refused")} {j.Candidate}: {j.Reason}");
                break;
            case PromotionDecided { Pending: true } d when d.TrainingId == trainingId:
                Say($"{d.Candidate} serves once the replicas have shadowed it on {d.ShadowPredictions:N0} live digits");
                break;
            case RetrainSettled settled when settled.TrainingId == trainingId:
                return Settled(settled);
        }
        return null;
    }

    private RetrainOutcome Settled(RetrainSettled settled)
    {
        switch (settled.Outcome)
        {
            case RetrainSettled.Promoted:
                Say($"Version {settled.Version} serves: {settled.Reason}");
                return RetrainOutcome.Served;
            case RetrainSettled.Superseded:
                Say($"Version {settled.Version} was superseded: {settled.Reason}");
                return RetrainOutcome.Superseded;
            case RetrainSettled.Refused when settled.Version is not null:
                Say($"The gate refused {settled.Version}: {settled.Reason}; {served ?? "the version before it"} still serves");
                return RetrainOutcome.Refused;
            case RetrainSettled.Refused:
                error.WriteLine($"request-retrain: the controller refused the request: {settled.Reason}");
                return RetrainOutcome.Failed;
            default:
                error.WriteLine($"request-retrain: training {settled.TrainingId} {settled.Outcome}: {settled.Reason}");
                return RetrainOutcome.Failed;
        }
    }

    private void Say(string line) => output.WriteLine(line);
}
