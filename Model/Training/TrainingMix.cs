using MnistEvents.Model.Data;

namespace MnistEvents.Model.Training;

/// <summary>
/// Corrections mixed into a training set, oversampled so that a few hundred matter beside 60,000 MNIST images: each is
/// repeated until corrections are about a tenth of the epoch, but no more than 20 times (a handful would otherwise be
/// memorised).
/// </summary>
public static class TrainingMix
{
    public const double TargetShare = 0.1;
    public const int MaxRepeats = 20;

    public static int Repeats(int trainCount, int correctionCount) =>
        correctionCount == 0 ? 0 : Math.Clamp((int)Math.Round(TargetShare * trainCount / correctionCount), 1, MaxRepeats);

    public static MnistDataset WithCorrections(MnistDataset train, MnistDataset corrections)
    {
        var repeats = Repeats(train.Count, corrections.Count);
        if (repeats == 0) return train;
        var images = new byte[(train.Count + repeats * corrections.Count) * MnistDataset.Pixels];
        var labels = new byte[train.Count + repeats * corrections.Count];
        train.Images.CopyTo(images, 0);
        train.Labels.CopyTo(labels, 0);
        for (var r = 0; r < repeats; r++)
        {
            var at = train.Count + r * corrections.Count;
            corrections.Images.CopyTo(images, at * MnistDataset.Pixels);
            corrections.Labels.CopyTo(labels, at);
        }
        return new MnistDataset(images, labels);
    }
}
