using System.Diagnostics;
using MnistEvents.Imaging.Profiles;
using MnistEvents.Model.Data;
using MnistEvents.Model.Inference;
using MnistEvents.Model.Store;

namespace MnistEvents.Bench;

/// <summary>
/// What the served model's forward pass costs per image at a given batch size: the same <see cref="DigitClassifier"/>
/// call a predictor makes (normalisation, tensor, forward, probabilities out), on one torch thread as the bench's
/// predictors run, with the allocator as they set it (<see cref="NativeAllocator"/>), on real MNIST test digits. CPU time
/// of the process, so it compares with the services' /proc figures.
/// Beside it, what counting each answered digit into the drift profile adds (what a replica does after answering:
/// <see cref="InputProfiler"/>, measured the same way) and its ratio to the forward pass.
/// </summary>
public static class ForwardCost
{
    public static int Run(string modelPath, string[] batches)
    {
        TorchSharp.torch.set_num_threads(1);
        NativeAllocator.KeepFreedMemory(NativeAllocator.ServingArenas);
        using var model = ModelStore.Load(modelPath);
        using var classifier = new DigitClassifier(model.Network);
        var test = MnistDataset.LoadTest(MnistDirectory.Default());
        var sizes = batches.Length > 0 ? batches.Select(int.Parse).ToArray() : [1, 2, 4, 8, 16, 32, 64];
        Console.WriteLine("batch  cpu-ms/image  profile-ms/image  profile/forward");
        foreach (var size in sizes)
        {
            var pixels = test.Images.AsSpan(0, size * MnistDataset.Pixels).ToArray();
            // Warm until the JIT and libtorch's first-call paths are out of the figure.
            for (var i = 0; i < 200; i++) classifier.Probabilities(pixels, size);
            var images = 0;
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            while (wall.Elapsed < TimeSpan.FromSeconds(2) || images < 2000)
            {
                classifier.Probabilities(pixels, size);
                images += size;
            }
            var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            var forward = used.TotalMilliseconds / images;
            var profile = ProfileCost(pixels, classifier.Probabilities(pixels, size));
            Console.WriteLine($"{size,5}  {forward,12:0.000}  {profile,16:0.0000}  {profile / forward,15:0.000}");
        }
        return 0;
    }

    private static double ProfileCost(byte[] pixels, float[][] answers)
    {
        var profiler = new InputProfiler();
        void Count()
        {
            for (var i = 0; i < answers.Length; i++)
            {
                var digit = DigitClassifier.ArgMax(answers[i]);
                profiler.Add(pixels.AsSpan(i * MnistDataset.Pixels, MnistDataset.Pixels), digit, answers[i][digit]);
            }
        }
        for (var i = 0; i < 200; i++) Count();
        var images = 0;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        while (wall.Elapsed < TimeSpan.FromSeconds(1) || images < 2000)
        {
            Count();
            images += answers.Length;
        }
        return (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / images;
    }
}
