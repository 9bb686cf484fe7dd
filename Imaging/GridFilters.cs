using System.Runtime.Intrinsics;

namespace MnistEvents.Imaging;

/// <summary>
/// Square max and min filters and paraboloid dilation and erosion on a row-major grid, separable (rows, then columns),
/// edges clamped, each line in time independent of the radius, and the closings and opening made of them. One instance
/// reuses its buffers across calls (a closing's middle step among them).
/// </summary>
internal sealed class GridFilters(int cells, int longestLine)
{
    private readonly float[] rows = new float[cells];
    private readonly float[] between = new float[cells];
    private readonly float[] forward = new float[3 * longestLine];
    private readonly float[] backward = new float[3 * longestLine];
    private readonly float[] values = new float[3 * longestLine];
    private readonly double[] line = new double[longestLine];
    private readonly double[] output = new double[longestLine];
    private readonly Envelope envelope = new(longestLine);

    /// <summary>Closing (max, then min) over the square of side 2·radius+1: dark features narrower than it filled.</summary>
    public void Closing(float[] source, float[] target, int w, int h, int radius)
    {
        Extreme(source, between, w, h, radius, max: true);
        Extreme(between, target, w, h, radius, max: false);
    }

    /// <summary>Opening (min, then max) over the square of side 2·radius+1: light features narrower than it removed.</summary>
    public void Opening(float[] source, float[] target, int w, int h, int radius)
    {
        Extreme(source, between, w, h, radius, max: false);
        Extreme(between, target, w, h, radius, max: true);
    }

    /// <summary>Closing by the paraboloid of <paramref name="k"/> (dilation, then erosion).</summary>
    public void ParabolicClosing(float[] source, float[] target, int w, int h, double k)
    {
        Parabolic(source, between, w, h, k, dilate: true);
        Parabolic(between, target, w, h, k, dilate: false);
    }

    /// <summary>The max (or min) over the square of side 2·radius+1 around each cell, into <paramref name="target"/>.</summary>
    public void Extreme(float[] source, float[] target, int w, int h, int radius, bool max)
    {
        for (var y = 0; y < h; y++) RunningExtreme(source, rows, y * w, 1, w, radius, max);
        for (var x = 0; x < w; x++) RunningExtreme(rows, target, x, w, h, radius, max);
    }

    /// <summary>
    /// Dilation (max of f(t) − k·|x−t|²) or erosion (min of f(t) + k·|x−t|²) by a paraboloid, into
    /// <paramref name="target"/>: each line a lower envelope of parabolas (<see cref="Envelope"/>).
    /// </summary>
    public void Parabolic(float[] source, float[] target, int w, int h, double k, bool dilate)
    {
        var sign = dilate ? -1 : 1;
        for (var y = 0; y < h; y++)
        {
            if (Constant(source, y * w, 1, w))
            {
                rows.AsSpan(y * w, w).Fill(ParabolicOfConstant(source[y * w], sign, k));
                continue;
            }
            for (var x = 0; x < w; x++) line[x] = sign * source[y * w + x] / k;
            envelope.Transform(line, output, w);
            for (var x = 0; x < w; x++) rows[y * w + x] = (float)(sign * output[x] * k);
        }
        for (var x = 0; x < w; x++)
        {
            if (Constant(rows, x, w, h))
            {
                var value = ParabolicOfConstant(rows[x], sign, k);
                for (var y = 0; y < h; y++) target[y * w + x] = value;
                continue;
            }
            for (var y = 0; y < h; y++) line[y] = sign * rows[y * w + x] / k;
            envelope.Transform(line, output, h);
            for (var y = 0; y < h; y++) target[y * w + x] = (float)(sign * output[y] * k);
        }
    }

    /// <summary>
    /// What <see cref="Parabolic"/> makes of a line whose values are all <paramref name="value"/>, to the same bits: each
    /// point's own parabola is lowest there (its neighbours' meet it halfway between), so the envelope is 0² + f(x), and
    /// the rest is the same arithmetic. A page's blank margins and a drawing's empty rows are such lines, often most of them.
    /// </summary>
    private static float ParabolicOfConstant(float value, int sign, double k)
    {
        var line = sign * value / k;
        var envelope = 0 * (double)0 + line;
        return (float)(sign * envelope * k);
    }

    /// <summary>Whether the <paramref name="n"/> values from <paramref name="start"/> at <paramref name="stride"/> are the same, bit for bit.</summary>
    private static bool Constant(float[] values, int start, int stride, int n)
    {
        var first = BitConverter.SingleToInt32Bits(values[start]);
        for (var i = 1; i < n; i++)
            if (BitConverter.SingleToInt32Bits(values[start + i * stride]) != first) return false;
        return true;
    }

    /// <summary>
    /// The max (or min) over a window of 2·radius+1 along one line of <paramref name="n"/> values (van Herk / Gil–Werman:
    /// running extremes within blocks of the window's length, from either end, combined).
    /// </summary>
    private void RunningExtreme(float[] source, float[] target, int start, int stride, int n, int radius, bool max)
    {
        // A blank line's extremes are its value.
        if (Constant(source, start, stride, n))
        {
            var value = source[start];
            for (var i = 0; i < n; i++) target[start + i * stride] = value;
            return;
        }
        var window = 2 * radius + 1;
        var padded = n + 2 * radius;
        // The line with its ends repeated outward, so the passes below index it directly.
        for (var k = 0; k < padded; k++) values[k] = source[start + Math.Clamp(k - radius, 0, n - 1) * stride];
        // Block by block rather than testing k % window at every step: the same values, without a division per value.
        for (var block = 0; block < padded; block += window)
        {
            var end = Math.Min(block + window, padded) - 1;
            forward[block] = values[block];
            backward[end] = values[end];
            if (max)
            {
                for (var k = block + 1; k <= end; k++) forward[k] = Larger(forward[k - 1], values[k]);
                for (var k = end - 1; k >= block; k--) backward[k] = Larger(backward[k + 1], values[k]);
            }
            else
            {
                for (var k = block + 1; k <= end; k++) forward[k] = Smaller(forward[k - 1], values[k]);
                for (var k = end - 1; k >= block; k--) backward[k] = Smaller(backward[k + 1], values[k]);
            }
        }
        if (max)
            for (var i = 0; i < n; i++) target[start + i * stride] = Larger(backward[i], forward[i + window - 1]);
        else
            for (var i = 0; i < n; i++) target[start + i * stride] = Smaller(backward[i], forward[i + window - 1]);
    }

    // Math.Max and Math.Min order -0 below +0 and carry NaN, branching on the data at every step (a running extreme
    // mispredicts often); the grids here hold neither (means and blurs of brightness, from +0 up), so the processor's
    // own max and min give the same values.
    private static float Larger(float a, float b) => Vector128.MaxNative(Vector128.CreateScalarUnsafe(a), Vector128.CreateScalarUnsafe(b)).ToScalar();

    private static float Smaller(float a, float b) => Vector128.MinNative(Vector128.CreateScalarUnsafe(a), Vector128.CreateScalarUnsafe(b)).ToScalar();
}
