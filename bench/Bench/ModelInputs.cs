using System.Security.Cryptography;
using MnistEvents.Imaging;
using MnistEvents.Model.Data;
using MnistEvents.Model.Evaluation;
using MnistEvents.TestSupport;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;

namespace MnistEvents.Bench;

/// <summary>
/// Whether the preprocessing gives the model the same input as an earlier build of it (loaded as
/// <see cref="PreprocessingCost"/> loads it): every upload family (<paramref name="perFamily"/> seeded uploads each) and
/// the kinds of image the tests make (<see cref="Uploads.DigitPng"/>, <see cref="DigitImages"/>' renderings,
/// <see cref="Photos"/>, the seed's own 28×28 PNG) through both, a SHA-256 over each set's 28×28 inputs and their warnings (a
/// refusal's message stands for its input) from each, and how many uploads differ. A change that is meant to be only faster
/// must print the same hash on both sides of every line.
/// </summary>
public static class ModelInputs
{
    public static int Run(string baselineAssembly, int perFamily, int seed)
    {
        var test = MnistDataset.LoadTest(MnistDirectory.Default());
        var current = new DigitPreprocessor();
        var baseline = PreprocessingCost.Baseline(baselineAssembly);
        var random = new Random(seed);
        var sets = new List<(string Name, byte[][] Files)>();
        foreach (var style in Enum.GetValues<UploadStyle>())
        {
            var seeds = Enumerable.Range(0, perFamily).Select(_ => (Index: random.Next(test.Count), Seed: random.Next())).ToArray();
            sets.Add((style.ToString(), seeds.AsParallel().AsOrdered().Select(s => UploadRenderer.Render(test.Image(s.Index), style, new Random(s.Seed))).ToArray()));
        }
        var indices = Enumerable.Range(0, perFamily).Select(_ => random.Next(test.Count)).ToArray();
        sets.Add(("mnist-28x28-png", indices.Select(i => Small(test.Image(i))).ToArray()));
        sets.Add(("tests-digit-png", indices.Select(i => DigitImages.Encode(DigitImages.Render(test.Image(i), scale: 4, darkOnLight: true), new PngEncoder())).ToArray()));
        sets.Add(("tests-renderings", indices.Select((index, i) => TestRendering(test.Image(index), i)).ToArray()));
        sets.Add(("tests-photos", indices.Take(Math.Max(1, perFamily / 4)).Select((index, i) =>
            Photos.Digit(index, 600 + 40 * (i % 5), 450 + 30 * (i % 4), 60 + 20 * (i % 6), Photos.Black, noise: 0.005f * (i % 4), seed: i + 1)).ToArray()));

        Console.WriteLine($"{"set",-18} {"uploads",7} {"differ",7}  {"sha256 now",-16}  {"sha256 before",-16}");
        var differing = 0;
        foreach (var (name, files) in sets)
        {
            var now = files.AsParallel().AsOrdered().Select(f => Input(() => current.Preprocess(f))).ToArray();
            var before = files.AsParallel().AsOrdered().Select(f => Input(() => baseline(f))).ToArray();
            var differ = now.Zip(before).Count(p => !p.First.AsSpan().SequenceEqual(p.Second));
            differing += differ;
            Console.WriteLine($"{name,-18} {files.Length,7} {differ,7}  {Hash(now),-16}  {Hash(before),-16}");
        }
        Console.WriteLine(differing == 0 ? "same model inputs: every upload's 28x28 input is identical" : $"DIFFERENT: {differing} uploads' inputs differ");
        return differing == 0 ? 0 : 1;
    }

    // The baseline returns its own build's DigitImage type: its pixels and warnings are read by name. The warnings go
    // with the pixels: the same input should come with the same doubts.
    private static byte[] Input(Func<object> preprocess)
    {
        try
        {
            var digit = preprocess();
            var pixels = (byte[])digit.GetType().GetProperty(nameof(DigitImage.Pixels))!.GetValue(digit)!;
            var warnings = (IEnumerable<string>)digit.GetType().GetProperty(nameof(DigitImage.Warnings))!.GetValue(digit)!;
            return [.. pixels, .. System.Text.Encoding.UTF8.GetBytes(string.Join("\n", warnings))];
        }
        catch (Exception e) when (e.GetType().Name == nameof(ImageRejectedException))
        {
            return System.Text.Encoding.UTF8.GetBytes("refused: " + e.Message);
        }
    }

    private static string Hash(byte[][] inputs)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var input in inputs) sha.AppendData(input);
        return Convert.ToHexString(sha.GetHashAndReset())[..16].ToLowerInvariant();
    }

    private static byte[] Small(ReadOnlySpan<byte> digit)
    {
        using var image = SixLabors.ImageSharp.Image.LoadPixelData<SixLabors.ImageSharp.PixelFormats.L8>(digit, 28, 28);
        return UploadFiles.Encode(image, new PngEncoder());
    }

    // The renderings the unit tests use: either polarity, transparent, off a wide canvas's centre, in each format.
    private static byte[] TestRendering(ReadOnlySpan<byte> digit, int i)
    {
        using var image = (i % 4) switch
        {
            0 => DigitImages.Render(digit, scale: 4),
            1 => DigitImages.Render(digit, scale: 3, darkOnLight: true, canvasWidth: 400, canvasHeight: 240, x: 20 + i % 200, y: 30),
            2 => DigitImages.Render(digit, scale: 10, transparentBackground: true, canvasWidth: 280, canvasHeight: 280),
            _ => DigitImages.Render(digit, scale: 6, darkOnLight: true),
        };
        return (i % 3) switch
        {
            0 => DigitImages.Encode(image, new PngEncoder()),
            1 => DigitImages.Encode(image, new JpegEncoder { Quality = 75 }),
            _ => DigitImages.Encode(image, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless }),
        };
    }
}
