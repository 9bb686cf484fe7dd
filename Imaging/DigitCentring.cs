using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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
                ToLevels(ink.AsSpan((top + y) * width + left, cropWidth), MemoryMarshal.Cast<L8, byte>(rows.GetRowSpan(y)));
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

    /// <summary>Each value (0..1) times 255, rounded half to even as <see cref="Math.Round(double)"/> does: 32 at a time, then one by one.</summary>
    internal static void ToLevels(ReadOnlySpan<float> values, Span<byte> levels)
    {
        var x = 0;
        for (; x + 32 <= values.Length; x += 32)
        {
            static Vector256<int> Level(ReadOnlySpan<float> eight) => Vector256.ConvertToInt32(Vector256.Round(Vector256.Create(eight) * 255f));
            Vector256.Narrow(
                Vector256.Narrow(Level(values.Slice(x, 8)), Level(values.Slice(x + 8, 8))),
                Vector256.Narrow(Level(values.Slice(x + 16, 8)), Level(values.Slice(x + 24, 8)))).AsByte().CopyTo(levels.Slice(x));
        }
        for (; x < values.Length; x++) levels[x] = (byte)Math.Round(values[x] * 255);
    }

    internal static (int Left, int Top, int Right, int Bottom) Tighten(float[] ink, int width, int left, int top, int right, int bottom)
    {
        int l = right, t = bottom, r = left, b = top;
        var fringe = Vector256.Create(Fringe);
        for (var y = top; y <= bottom; y++)
        {
            var row = ink.AsSpan(y * width, width);
            // The first and last pixel of the row outside the fringe: eight at a time, then one by one.
            int first = -1, last = -1, x = left;
            for (; x + 8 <= right + 1; x += 8)
            {
                var lanes = Vector256.GreaterThanOrEqual(Vector256.Create(row.Slice(x, 8)), fringe).ExtractMostSignificantBits();
                if (lanes == 0) continue;
                if (first < 0) first = x + BitOperations.TrailingZeroCount(lanes);
                last = x + 31 - BitOperations.LeadingZeroCount(lanes);
            }
            for (; x <= right; x++)
            {
                // A faint fringe (a lossy codec's ringing, the last of a soft edge) does not widen the crop.
                if (row[x] < Fringe) continue;
                if (first < 0) first = x;
                last = x;
            }
            if (first < 0) continue;
            l = Math.Min(l, first); r = Math.Max(r, last);
            t = Math.Min(t, y); b = Math.Max(b, y);
        }
        return r < l ? (left, top, right, bottom) : (l, t, r, b);
    }
}
