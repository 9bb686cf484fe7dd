using MnistEvents.Imaging;
using MnistEvents.Model.Data;
using static TorchSharp.torch;

namespace MnistEvents.Model.Inference;

/// <summary>
/// Classifies batches of 28×28 digit images (784 bytes each, white ink on black) with a network in eval mode.
/// Safe to call from several threads: inference mode is entered per call, on the calling thread.
/// </summary>
public sealed class DigitClassifier : IDisposable
{
    private readonly nn.Module<Tensor, Tensor> network;
    private volatile bool disposed;

    public DigitClassifier(nn.Module<Tensor, Tensor> network)
    {
        network.eval();
        this.network = network;
    }

    /// <summary>Probabilities of the ten digits for each of <paramref name="count"/> images laid end to end in <paramref name="pixels"/>.</summary>
    public float[][] Probabilities(ReadOnlySpan<byte> pixels, int count)
    {
        // Its tensors are freed: say so, rather than TorchSharp's "empty handle".
        ObjectDisposedException.ThrowIf(disposed, this);
        return Probabilities(network, pixels, count);
    }

    /// <summary>The same for a network someone else owns (in eval mode): how a trainer sees a model's answers exactly as a replica gives them.</summary>
    public static float[][] Probabilities(nn.Module<Tensor, Tensor> network, ReadOnlySpan<byte> pixels, int count)
    {
        if (pixels.Length != count * MnistDataset.Pixels)
            throw new ArgumentException($"expected {count} × {MnistDataset.Pixels} bytes, got {pixels.Length}", nameof(pixels));
        if (count == 0) return [];

        var input = new float[pixels.Length];
        MnistNormalization.Normalize(pixels, input);

        using var mode = inference_mode();
        using var scope = NewDisposeScope();
        var x = tensor(input, [count, 1, MnistDataset.Side, MnistDataset.Side]);
        var flat = network.call(x).exp().contiguous().data<float>().ToArray();

        var result = new float[count][];
        for (var i = 0; i < count; i++) result[i] = flat.AsSpan(i * 10, 10).ToArray();
        return result;
    }

    public float[] Probabilities(ReadOnlySpan<byte> pixels) => Probabilities(pixels, 1)[0];

    public static int ArgMax(ReadOnlySpan<float> probabilities)
    {
        var best = 0;
        for (var i = 1; i < probabilities.Length; i++) if (probabilities[i] > probabilities[best]) best = i;
        return best;
    }

    public void Dispose()
    {
        disposed = true;
        network.Dispose();
    }
}
