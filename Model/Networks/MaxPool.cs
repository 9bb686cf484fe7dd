using static TorchSharp.torch;

namespace MnistEvents.Model.Networks;

/// <summary>
/// 2×2 max pooling with stride 2 as two element-wise maxima of strided views. libtorch's CPU <c>max_pool2d</c> on
/// NCHW tensors is a scalar loop that also records indices: profiled, it was a third of this CNN's forward pass
/// and the largest single cost in a predictor. Same values, no change to the weights; for inference (its backward is
/// dearer than max_pool2d's, see <see cref="MnistCnn"/>).
/// </summary>
public static class MaxPool
{
    public static Tensor TwoByTwo(Tensor x)
    {
        long n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
        if (h % 2 != 0 || w % 2 != 0) throw new ArgumentException($"2×2 pooling needs even sides, got {h}×{w}", nameof(x));
        // Rows first: pairs of whole rows are contiguous, so that maximum is vectorised and halves what the strided one reads.
        var rows = x.view(n, c, h / 2, 2, w);
        var halved = maximum(rows.select(3, 0), rows.select(3, 1));
        var columns = halved.view(n, c, h / 2, w / 2, 2);
        return maximum(columns.select(4, 0), columns.select(4, 1));
    }
}
