using static TorchSharp.torch;

namespace MnistEvents.Model.Training;

/// <summary>
/// Mild random affine distortion of a batch (rotation ±10°, scale 0.9–1.1, shift ±2 px), applied to
/// [0,1] images before normalisation so the padding is true background. Drawings, photos and
/// off-centre uploads are never as tidy as MNIST's own centring; this keeps the network tolerant.
/// </summary>
public static class Augmentation
{
    private const double MaxRotationRadians = 10 * Math.PI / 180;
    private const double MaxScaleChange = 0.1;
    private const double MaxShift = 2.0 / 14; // affine_grid coordinates span [-1, 1] over 28 px

    public static Tensor RandomAffine(Tensor images, Generator generator)
    {
        var n = images.shape[0];
        var angle = (rand(n, generator: generator) * 2 - 1) * MaxRotationRadians;
        var scale = 1 + (rand(n, generator: generator) * 2 - 1) * MaxScaleChange;
        var tx = (rand(n, generator: generator) * 2 - 1) * MaxShift;
        var ty = (rand(n, generator: generator) * 2 - 1) * MaxShift;
        var cos = angle.cos() / scale;
        var sin = angle.sin() / scale;
        var theta = stack([cos, -sin, tx, sin, cos, ty], 1).view(n, 2, 3);
        var grid = nn.functional.affine_grid(theta, [n, 1, 28, 28], align_corners: false);
        return nn.functional.grid_sample(images, grid, align_corners: false);
    }
}
