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
            for (var x = 0; x < w; x++) line[x] = sign * source[y * w + x] / k;
            envelope.Transform(line, output, w);
            for (var x = 0; x < w; x++) rows[y * w + x] = (float)(sign * output[x] * k);
        }
        for (var x = 0; x < w; x++)
        {
            for (var y = 0; y < h; y++) line[y] = sign * rows[y * w + x] / k;
            envelope.Transform(line, output, h);
            for (var y = 0; y < h; y++) target[y * w + x] = (float)(sign * output[y] * k);
        }
    }

    /// <summary>
    /// The max (or min) over a window of 2·radius+1 along one line of <paramref name="n"/> values (van Herk / Gil–Werman:
    /// running extremes within blocks of the window's length, from either end, combined).
    /// </summary>
    private void RunningExtreme(float[] source, float[] target, int start, int stride, int n, int radius, bool max)
    {
        var window = 2 * radius + 1;
        var padded = n + 2 * radius;
        // The line with its ends repeated outward, so the passes below index it directly.
        for (var k = 0; k < padded; k++) values[k] = source[start + Math.Clamp(k - radius, 0, n - 1) * stride];
        if (max)
        {
            for (var k = 0; k < padded; k++) forward[k] = k % window == 0 ? values[k] : Math.Max(forward[k - 1], values[k]);
            for (var k = padded - 1; k >= 0; k--) backward[k] = k % window == window - 1 || k == padded - 1 ? values[k] : Math.Max(backward[k + 1], values[k]);
            for (var i = 0; i < n; i++) target[start + i * stride] = Math.Max(backward[i], forward[i + window - 1]);
        }
        else
        {
            for (var k = 0; k < padded; k++) forward[k] = k % window == 0 ? values[k] : Math.Min(forward[k - 1], values[k]);
            for (var k = padded - 1; k >= 0; k--) backward[k] = k % window == window - 1 || k == padded - 1 ? values[k] : Math.Min(backward[k + 1], values[k]);
            for (var i = 0; i < n; i++) target[start + i * stride] = Math.Min(backward[i], forward[i + window - 1]);
        }
    }
}
