using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace MnistEvents.Imaging;

/// <summary>What MNIST did with each digit: crop to the ink, fit it in 20×20 keeping the aspect ratio, centre it by centre of mass in 28×28.</summary>
internal static class DigitCentring
{
    private const int Box = 20;
    private const float Fringe = 0.15f;

    /// <summary>The 28×28 digit from <paramref name="ink"/> (0..1, row-major, <paramref name="width"/> × <paramref name="height"/>).</summary>
    public static byte[] Centre(float[] ink, int width, int height)
    {
        var (left, top, right, bottom) = Tighten(ink, width, 0, 0, width - 1, height - 1);
        var cropWidth = right - left + 1;
        var cropHeight = bottom - top + 1;
        using var crop = new Image<L8>(cropWidth, cropHeight);
        crop.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < cropHeight; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < cropWidth; x++)
                    row[x] = new L8((byte)Math.Round(ink[(top + y) * width + left + x] * 255));
            }
        });

        var fit = (double)Box / Math.Max(cropWidth, cropHeight);
        var fitWidth = Math.Clamp((int)Math.Round(cropWidth * fit), 1, Box);
        var fitHeight = Math.Clamp((int)Math.Round(cropHeight * fit), 1, Box);
        crop.Mutate(x => x.Resize(fitWidth, fitHeight, KnownResamplers.Bicubic));

        var fitted = new float[fitWidth * fitHeight];
        crop.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < fitHeight; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < fitWidth; x++) fitted[y * fitWidth + x] = row[x].PackedValue;
            }
        });

        // MNIST put the centre of mass, in pixel indices, at (14, 14).
        // Thin strokes come out grey after a large reduction; MNIST's strokes peak at full white.
        var max = fitted.Max();
        double mass = 0, sumX = 0, sumY = 0;
        for (var y = 0; y < fitHeight; y++)
        for (var x = 0; x < fitWidth; x++)
        {
            var v = fitted[y * fitWidth + x];
            mass += v; sumX += v * x; sumY += v * y;
        }
        var offsetX = mass > 0 ? (int)Math.Round(DigitImage.Side / 2.0 - sumX / mass) : (DigitImage.Side - fitWidth) / 2;
        var offsetY = mass > 0 ? (int)Math.Round(DigitImage.Side / 2.0 - sumY / mass) : (DigitImage.Side - fitHeight) / 2;
        offsetX = Math.Clamp(offsetX, 0, DigitImage.Side - fitWidth);
        offsetY = Math.Clamp(offsetY, 0, DigitImage.Side - fitHeight);

        var result = new byte[DigitImage.PixelCount];
        var gain = max > 0 ? 255f / max : 0;
        for (var y = 0; y < fitHeight; y++)
        for (var x = 0; x < fitWidth; x++)
            result[(offsetY + y) * DigitImage.Side + offsetX + x] = (byte)Math.Clamp(Math.Round(fitted[y * fitWidth + x] * gain), 0, 255);
        return result;
    }

    private static (int Left, int Top, int Right, int Bottom) Tighten(float[] ink, int width, int left, int top, int right, int bottom)
    {
        int l = right, t = bottom, r = left, b = top;
        for (var y = top; y <= bottom; y++)
        for (var x = left; x <= right; x++)
        {
            // A faint fringe (a lossy codec's ringing, the last of a soft edge) does not widen the crop.
            if (ink[y * width + x] < Fringe) continue;
            l = Math.Min(l, x); r = Math.Max(r, x);
            t = Math.Min(t, y); b = Math.Max(b, y);
        }
        return r < l ? (left, top, right, bottom) : (l, t, r, b);
    }
}
