using MnistEvents.Imaging;
using MnistEvents.Model.Data;
using MnistEvents.Registry;

namespace MnistEvents.Model.Evaluation;

/// <summary>
/// The real-uploads validation set: MNIST test digits rendered the ways people upload them (every
/// <see cref="UploadStyle"/> in turn, each with its own seeded spread of pens, papers, light, orientation tags and
/// formats) and passed through the gateway's own <see cref="DigitPreprocessor"/>, so a model is judged on what it will
/// really be given. Seeded: the same digits, files and pixels every time.
/// </summary>
public static class ValidationUploads
{
    public const int DefaultSeed = 20_261_125;

    // Bumped whenever rendering or preprocessing changes what the set holds, so a cached set is never stale.
    private const int Revision = 2;

    /// <summary>The set, from a cache in <paramref name="directory"/> (the volume's <c>validation/</c>) if an earlier run built it there (rendering takes seconds).</summary>
    public static MnistDataset Load(string directory, MnistDataset test, int count, int seed = DefaultSeed)
    {
        count = Math.Min(count, test.Count);
        var path = Path.Combine(directory, $"uploads-{count}-{seed}-r{Revision}.bin");
        var size = count * (MnistDataset.Pixels + 1);
        if (File.Exists(path) && new FileInfo(path).Length == size)
        {
            var bytes = File.ReadAllBytes(path);
            if (bytes.Length == size) return new MnistDataset(bytes[..(count * MnistDataset.Pixels)], bytes[(count * MnistDataset.Pixels)..]);
        }
        var set = Build(test, count, seed);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        RegistryFiles.WriteAtomically(path, [.. set.Images, .. set.Labels]);
        return set;
    }

    public static MnistDataset Build(MnistDataset test, int count, int seed = DefaultSeed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        count = Math.Min(count, test.Count);
        // One seed per upload, drawn in order: the set is the same however many threads render it.
        var random = new Random(seed);
        var seeds = Enumerable.Range(0, count).Select(_ => random.Next()).ToArray();
        var preprocessor = new DigitPreprocessor();
        var styles = Enum.GetValues<UploadStyle>();
        var images = new byte[count * MnistDataset.Pixels];
        var labels = new byte[count];
        Parallel.For(0, count, i =>
        {
            // From the end of the test set, spread over it, so it is not the same digits as a quick --test-limit run.
            var source = test.Count - 1 - (int)((long)i * test.Count / count);
            var file = UploadRenderer.Render(test.Image(source), styles[i % styles.Length], new Random(seeds[i]));
            preprocessor.Preprocess(file).Pixels.CopyTo(images.AsSpan(i * MnistDataset.Pixels));
            labels[i] = test.Labels[source];
        });
        return new MnistDataset(images, labels);
    }
}
