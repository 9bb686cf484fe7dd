using System.Reflection;
using System.Runtime.Loader;
using MnistEvents.Imaging;
using MnistEvents.Model.Data;
using MnistEvents.Model.Evaluation;
using MnistEvents.ServiceDefaults;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace MnistEvents.Bench;

/// <summary>
/// CPU per upload of the gateway's preprocessing beside an earlier build of it (loaded from
/// <paramref name="baselineAssembly"/> in a context of its own, so both run in this process, in turns), for the seed's
/// own request (an MNIST digit as a 28×28 PNG, what bench/serve sends), a 280×280 canvas drawing (the UI's) and a
/// 12-megapixel phone photo.
/// </summary>
public static class PreprocessingCost
{
    internal delegate object Preprocess(ReadOnlySpan<byte> data);

    public static int Run(string baselineAssembly)
    {
        var test = MnistDataset.LoadTest(MnistDirectory.Default());
        var random = new Random(17);
        var canvas = UploadRenderer.Render(test.Image(0), UploadStyle.Canvas, random);
        using var photo = UploadRenderer.Photo(test.Image(1), 4000, 3000, random);
        var photoFile = UploadFiles.Jpeg(photo, 90);
        using var small = Image.LoadPixelData<L8>(test.Image(0), 28, 28);
        var mnist = UploadFiles.Png(small);

        var current = new DigitPreprocessor();
        var baseline = Baseline(baselineAssembly);
        Console.WriteLine($"{"upload",-26} {"now ms",9} {"before ms",10} {"now/before",11}");
        foreach (var (name, file, rounds) in new[] { ("MNIST 28x28 PNG", mnist, 2000), ("canvas 280x280 PNG", canvas, 300), ("photo 4000x3000 JPEG", photoFile, 6) })
        {
            Preprocess now = data => current.Preprocess(data);
            // Warm both (JIT, pools), then alternate so a machine that speeds up or slows down affects both alike.
            for (var i = 0; i < 3; i++) { now(file); baseline(file); }
            var nowMs = new List<double>();
            var beforeMs = new List<double>();
            for (var turn = 0; turn < 5; turn++)
            {
                nowMs.Add(CpuMs(now, file, rounds));
                beforeMs.Add(CpuMs(baseline, file, rounds));
            }
            double n = Median(nowMs), b = Median(beforeMs);
            Console.WriteLine($"{name,-26} {n,9:0.00} {b,10:0.00} {n / b,10:0.00}x");
        }
        return 0;
    }

    // The calling thread's own CPU: the process's would count the JIT's background compiles and the GC's threads too,
    // which fall on whichever build happens to be running when they do.
    private static double CpuMs(Preprocess preprocess, byte[] file, int rounds)
    {
        var before = ThreadClock.Now();
        for (var i = 0; i < rounds; i++) preprocess(file);
        return (ThreadClock.Now() - before).TotalMilliseconds / rounds;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    internal static Preprocess Baseline(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var context = new AssemblyLoadContext("baseline-preprocessing");
        // Its own copy of everything it references (ImageSharp included), from its own build output.
        context.Resolving += (c, name) => File.Exists(Path.Combine(directory, name.Name + ".dll")) ? c.LoadFromAssemblyPath(Path.Combine(directory, name.Name + ".dll")) : null;
        var assembly = context.LoadFromAssemblyPath(Path.GetFullPath(path));
        var type = assembly.GetType("MnistEvents.Imaging.DigitPreprocessor", throwOnError: true)!;
        var instance = Activator.CreateInstance(type, [null])!;
        var method = type.GetMethod("Preprocess", BindingFlags.Public | BindingFlags.Instance, [typeof(ReadOnlySpan<byte>)])!;
        return method.CreateDelegate<Preprocess>(instance);
    }
}
