using MnistEvents.Contracts;

namespace MnistEvents.Imaging.Profiles;

/// <summary>
/// Counts digits into the bins of <see cref="DigitFeatures.All"/>: images and answers together (live traffic), or
/// apart (a training set's images, a validation set's answers). Not thread-safe: one owner, or its lock.
/// </summary>
public sealed class InputProfiler
{
    private readonly long[][] counts = DigitFeatures.All.Select(f => new long[f.Bins]).ToArray();
    private long digits;

    public long Digits => digits;

    /// <summary>A digit the model answered: what it saw, its answer and how sure it was.</summary>
    public void Add(ReadOnlySpan<byte> image, int digit, double confidence)
    {
        AddImage(image);
        AddAnswer(digit, confidence);
    }

    /// <summary>A digit's image features alone (a training image, whose answer during training says little).</summary>
    public void AddImage(ReadOnlySpan<byte> image)
    {
        Span<double> values = stackalloc double[DigitFeatures.ImageFeatures];
        DigitFeatures.Measure(image, values);
        for (var i = 0; i < values.Length; i++) counts[i][DigitFeatures.All[i].Bin(values[i])]++;
        digits++;
    }

    /// <summary>An answer alone: the digit and its confidence.</summary>
    public void AddAnswer(int digit, double confidence)
    {
        counts[DigitFeatures.ImageFeatures][DigitFeatures.Digit.Bin(digit)]++;
        counts[DigitFeatures.ImageFeatures + 1][DigitFeatures.Confidence.Bin(confidence)]++;
    }

    /// <summary>Every image of <paramref name="count"/> laid end to end, 784 bytes each.</summary>
    public void AddImages(ReadOnlySpan<byte> images, int count)
    {
        for (var i = 0; i < count; i++) AddImage(images.Slice(i * 784, 784));
    }

    /// <summary>Adds everything <paramref name="other"/> counted.</summary>
    public void Add(InputProfiler other)
    {
        digits += other.digits;
        for (var f = 0; f < counts.Length; f++)
        for (var b = 0; b < counts[f].Length; b++)
            counts[f][b] += other.counts[f][b];
    }

    public InputProfile ToProfile() =>
        new(digits, DigitFeatures.All.Select((f, i) => new FeatureCounts(f.Name, [.. counts[i]])).ToArray());
}
