using System.Diagnostics;
using MnistEvents.Model.Data;
using MnistEvents.Model.Inference;
using MnistEvents.Model.Store;

namespace MnistEvents.Bench;

/// <summary>
/// What the served model's forward pass costs per image at a given batch size: the same <see cref="DigitClassifier"/>
/// call a predictor makes (normalisation, tensor, forward, probabilities out), on one torch thread as the bench's
/// predictors run, on real MNIST test digits. CPU time of the process, so it compares with the services' /proc figures.
/// </summary>
public static class ForwardCost
{
    public static int Run(string modelPath, string[] batches)
    {
        TorchSharp.torch.set_num_threads(1);
        using var model = ModelStore.Load(modelPath);
        using var classifier = new DigitClassifier(model.Network);
        var test = MnistDataset.LoadTest(MnistDirectory.Default());
        var sizes = batches.Length > 0 ? batches.Select(int.Parse).ToArray() : [1, 2, 4, 8, 16, 32, 64];
        Console.WriteLine("batch  cpu-ms/image");
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
            Console.WriteLine($"{size,5}  {used.TotalMilliseconds / images,12:0.000}");
        }
        return 0;
    }
}
