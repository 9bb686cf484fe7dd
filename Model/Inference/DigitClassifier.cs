using System.Buffers;
using System.Runtime.InteropServices;
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

        // A batch's floats (200 KB at 64 digits) are a large object: allocated per batch, as torch.tensor(float[]) would
        // (twice: it clones its array), they cost a predictor a gen-2 collection every half second under load. So they
        // are normalised into a pooled buffer and copied into a tensor libtorch owns.
        var input = ArrayPool<float>.Shared.Rent(pixels.Length);
        float[] flat;
        try
        {
            var normalized = input.AsSpan(0, pixels.Length);
            MnistNormalization.Normalize(pixels, normalized);

            using var mode = inference_mode();
            using var scope = NewDisposeScope();
            var x = empty([count, 1, MnistDataset.Side, MnistDataset.Side], ScalarType.Float32);
            x.bytes = MemoryMarshal.AsBytes(normalized);
            flat = network.call(x).exp().contiguous().data<float>().ToArray();
        }
        finally
        {
            ArrayPool<float>.Shared.Return(input);
        }

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
