using MnistEvents.Model.Evaluation;

namespace MnistEvents.Trainer.Training;

/// <summary>
/// How a training run ended: trained (its MNIST test accuracy, epochs and time; with the saved version and the gate's
/// verdict in <paramref name="Outcome"/> when it saved one), or failed with <paramref name="Failure"/> in words, which
/// its <c>TrainingFailed</c> carried (<paramref name="Unannounced"/> when even that could not be announced).
/// </summary>
public sealed record TrainingReport(double TestAccuracy, int Epochs, TimeSpan Elapsed, PromotionOutcome? Outcome, string? Failure = null,
    bool Unannounced = false)
{
    public bool Succeeded => Failure is null;

    public static TrainingReport Failed(string reason) => new(0, 0, TimeSpan.Zero, null, reason);
}
