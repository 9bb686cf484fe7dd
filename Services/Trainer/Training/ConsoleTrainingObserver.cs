using System.Globalization;
using MnistEvents.Model.Training;

namespace MnistEvents.Trainer.Training;

/// <summary>Prints progress in the seed's format (<c>Train Epoch: 1 [640/60000 (1%)]	Loss: …</c>) with rate and ETA, and the seed's test summary.</summary>
public sealed class ConsoleTrainingObserver(TextWriter output) : ITrainingObserver
{
    public void Progressed(TrainingProgress p)
    {
        var percent = 100.0 * p.ExamplesSeen / Math.Max(1, p.ExamplesPerEpoch);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Train Epoch: {p.Epoch} [{p.ExamplesSeen}/{p.ExamplesPerEpoch} ({percent:0}%)]\tLoss: {p.Loss:0.000000}\t{p.ExamplesPerSecond:0} img/s  ETA {Format(p.EstimatedRemaining)}"));
    }

    public void EpochCompleted(EpochResult r)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"\nTest set: Average loss: {r.TestLoss:0.0000}, Accuracy: {r.Correct}/{r.Total} ({100 * r.Accuracy:0.00}%)  [epoch {r.Epoch}/{r.Epochs} in {r.Elapsed.TotalSeconds:0.0} s]\n"));
    }

    private static string Format(TimeSpan t) =>
        t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : t.ToString(@"m\:ss", CultureInfo.InvariantCulture);
}
