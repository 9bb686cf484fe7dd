using System.Numerics;
using System.Runtime.Intrinsics;

namespace MnistEvents.Imaging;

/// <summary>
/// MNIST's writers used pens of similar width: with its digits fitted to 20 pixels, strokes are 2 px wide at the median
/// and 1.3–3.1 px for nine in ten (2 × area ÷ perimeter of the ink above half strength, over the 10,000 test digits).
/// A felt marker or a fine liner is outside that range, and a network trained on MNIST reads its digits worse; so a
/// digit's strokes are thinned or thickened into the range before it is fitted, the way the image's size already is.
/// </summary>
internal static class StrokeWidth
{
    private const double Box = 20;
    private const double Thickest = 3.0, ThinnedTo = 2.6;
    private const double Thinnest = 1.3, ThickenedTo = 1.6;

    /// <summary>
    /// The ink (0..1, row-major, <paramref name="width"/> × <paramref name="height"/>, the digit's box) with strokes
    /// outside MNIST's range eroded or dilated towards it; the same array when they are within it.
    /// </summary>
    public static float[] Normalise(float[] ink, int width, int height)
    {
        var stroke = Measure(ink, width, height);
        if (stroke <= 0) return ink;
        var pixelsPerBox = Box / Math.Max(width, height);
        var boxed = stroke * pixelsPerBox;
        if (boxed > Thickest)
        {
            var radius = (int)Math.Round((stroke - ThinnedTo / pixelsPerBox) / 2);
            return radius > 0 ? Filter(ink, width, height, radius, max: false) : ink;
        }
        if (boxed < Thinnest)
        {
            var radius = (int)Math.Round((ThickenedTo / pixelsPerBox - stroke) / 2);
            return radius > 0 ? Filter(ink, width, height, radius, max: true) : ink;
        }
        return ink;
    }

    /// <summary>2 × area ÷ perimeter of the ink above half strength, in pixels: a stroke's width, loops and ends included.</summary>
    public static double Measure(ReadOnlySpan<float> ink, int width, int height)
    {
        // The perimeter is the ink pixels' sides that face no ink (the edge faces none): four a pixel, less the two each
        // pair of touching ink pixels share. Counted by pairs, a pixel is read once, not five times with bounds checks:
        // a replica measures every digit it answers (DigitFeatures), and this was most of that cost.
        // Eight pixels at a time: each against half strength, beside its left neighbour's and the one above's answer.
        long area = 0, shared = 0;
        var half = Vector256.Create(Half);
        const int Lanes = 8;
        for (var y = 0; y < height; y++)
        {
            var row = ink.Slice(y * width, width);
            var above = y > 0 ? ink.Slice((y - 1) * width, width) : [];
            // The first pixel has no left neighbour: it is counted with the rest of the row after the vectors.
            var x = 1;
            for (; x + Lanes <= width; x += Lanes)
            {
                var here = Vector256.GreaterThanOrEqual(Vector256.Create(row.Slice(x, Lanes)), half);
                var left = Vector256.GreaterThanOrEqual(Vector256.Create(row.Slice(x - 1, Lanes)), half);
                area += BitOperations.PopCount(here.ExtractMostSignificantBits());
                shared += BitOperations.PopCount((here & left).ExtractMostSignificantBits());
                if (above.Length > 0)
                    shared += BitOperations.PopCount((here & Vector256.GreaterThanOrEqual(Vector256.Create(above.Slice(x, Lanes)), half)).ExtractMostSignificantBits());
            }
            if (width > 0) Count(row, above, 0, ref area, ref shared);
            for (; x < width; x++) Count(row, above, x, ref area, ref shared);
        }
        var perimeter = 4 * area - 2 * shared;
        return perimeter == 0 ? 0 : 2.0 * area / perimeter;
    }

    private const float Half = 0.5f;

    private static void Count(ReadOnlySpan<float> row, ReadOnlySpan<float> above, int x, ref long area, ref long shared)
    {
        if (row[x] < Half) return;
        area++;
        if (x > 0 && row[x - 1] >= Half) shared++;
        if (above.Length > 0 && above[x] >= Half) shared++;
    }

    /// <summary>A square min (erosion) or max (dilation) filter of the given radius, separable, edges treated as no ink.</summary>
    private static float[] Filter(float[] ink, int width, int height, int radius, bool max)
    {
        float At(float[] values, int x, int y) => x >= 0 && y >= 0 && x < width && y < height ? values[y * width + x] : 0;
        var rows = new float[ink.Length];
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
        {
            var v = ink[y * width + x];
            for (var k = -radius; k <= radius; k++) v = max ? Math.Max(v, At(ink, x + k, y)) : Math.Min(v, At(ink, x + k, y));
            rows[y * width + x] = v;
        }
        var result = new float[ink.Length];
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
        {
            var v = rows[y * width + x];
            for (var k = -radius; k <= radius; k++) v = max ? Math.Max(v, At(rows, x, y + k)) : Math.Min(v, At(rows, x, y + k));
            result[y * width + x] = v;
        }
        return result;
    }
}
