using MnistEvents.Imaging;
using MnistEvents.Model.Data;
using MnistEvents.Model.Evaluation;
using MnistEvents.Model.Inference;
using MnistEvents.Model.Store;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace MnistEvents.Bench;

/// <summary>
/// How well uploads in each <see cref="UploadStyle"/> are read: <paramref name="perFamily"/> MNIST test digits
/// (drawn at random by <paramref name="seed"/>, not the validation set's) rendered in every family, through the
/// gateway's own <see cref="DigitPreprocessor"/> and the given model. Writes the files (for the peer's run on the same
/// images), their labels, and a sheet of what the model saw for each misread digit, under <paramref name="output"/>.
/// </summary>
public static class UploadAccuracy
{
    public static int Run(string modelPath, int perFamily, int seed, string output)
    {
        using var model = ModelStore.Load(modelPath);
        using var classifier = new DigitClassifier(model.Network);
        var test = MnistDataset.LoadTest(MnistDirectory.Default());
        var preprocessor = new DigitPreprocessor();
        var random = new Random(seed);
        Directory.CreateDirectory(output);
        using var labels = new StreamWriter(Path.Combine(output, "labels.tsv"));
        using var misread = new StreamWriter(Path.Combine(output, "misread.tsv"));
        Console.WriteLine($"{"family",-14} {"right",9} {"accuracy",9} {"refused",8} {"warned",7}");
        var worst = 100.0;
        foreach (var style in Enum.GetValues<UploadStyle>())
        {
            var family = Path.Combine(output, style.ToString());
            Directory.CreateDirectory(family);
            var seen = new byte[perFamily * MnistDataset.Pixels];
            var expected = new byte[perFamily];
            var refused = new List<string>();
            var names = new string[perFamily];
            var warned = 0;
            // One seed per upload, drawn in order: the same files however many threads render them.
            var seeds = Enumerable.Range(0, perFamily).Select(_ => (Index: random.Next(test.Count), Seed: random.Next())).ToArray();
            var refusals = new string?[perFamily];
            var warnings = new bool[perFamily];
            Parallel.For(0, perFamily, i =>
            {
                var (index, fileSeed) = seeds[i];
                expected[i] = test.Labels[index];
                var file = UploadRenderer.Render(test.Image(index), style, new Random(fileSeed));
                names[i] = $"{i:D4}.{Extension(file)}";
                File.WriteAllBytes(Path.Combine(family, names[i]), file);
                try
                {
                    var digit = preprocessor.Preprocess(file);
                    digit.Pixels.CopyTo(seen, i * MnistDataset.Pixels);
                    warnings[i] = digit.Warnings.Count > 0;
                }
                catch (ImageRejectedException e)
                {
                    refusals[i] = $"{names[i]}: {e.Message}";
                }
            });
            for (var i = 0; i < perFamily; i++) labels.WriteLine($"{style}\t{style}/{names[i]}\t{expected[i]}");
            refused.AddRange(refusals.OfType<string>());
            warned = warnings.Count(w => w);
            var probabilities = classifier.Probabilities(seen, perFamily);
            var wrong = Enumerable.Range(0, perFamily).Where(i => DigitClassifier.ArgMax(probabilities[i]) != expected[i]).ToList();
            foreach (var i in wrong) misread.WriteLine($"{style}/{names[i]}\t{expected[i]}\t{DigitClassifier.ArgMax(probabilities[i])}");
            var accuracy = 100.0 * (perFamily - wrong.Count) / perFamily;
            worst = Math.Min(worst, accuracy);
            Console.WriteLine($"{style,-14} {perFamily - wrong.Count,4}/{perFamily,-4} {accuracy,8:0.0}% {refused.Count,8} {warned,7}");
            foreach (var r in refused.Take(3)) Console.WriteLine($"    refused {r}");
            Sheet(seen, wrong, Path.Combine(output, $"{style}-misread.png"));
        }
        Console.WriteLine($"worst family: {worst:0.0}%");
        return 0;
    }

    private static string Extension(byte[] file) => file switch
    {
        [0xFF, 0xD8, ..] => "jpg",
        [0x89, (byte)'P', ..] => "png",
        [(byte)'R', (byte)'I', (byte)'F', (byte)'F', ..] => "webp",
        _ => "bin",
    };

    /// <summary>What the model saw for each misread upload, side by side, 2× size.</summary>
    private static void Sheet(byte[] seen, List<int> wrong, string path)
    {
        if (wrong.Count == 0) { File.Delete(path); return; }
        const int side = 28, cell = 60, columns = 16;
        var rows = (wrong.Count + columns - 1) / columns;
        using var sheet = new Image<L8>(columns * cell, rows * cell, new L8(90));
        for (var k = 0; k < wrong.Count; k++)
        {
            int ox = k % columns * cell + 2, oy = k / columns * cell + 2;
            for (var y = 0; y < side * 2; y++)
            for (var x = 0; x < side * 2; x++)
                sheet[ox + x, oy + y] = new L8(seen[wrong[k] * MnistDataset.Pixels + y / 2 * side + x / 2]);
        }
        sheet.SaveAsPng(path);
    }
}
