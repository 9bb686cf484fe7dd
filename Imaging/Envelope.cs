namespace MnistEvents.Imaging;

/// <summary>
/// The lower envelope of the parabolas (x − q)² + f(q): for each x, min over q of f(q) + (x − q)², in linear time
/// (Felzenszwalb and Huttenlocher, "Distance Transforms of Sampled Functions"). Reused across lines of one image.
/// </summary>
internal sealed class Envelope(int capacity)
{
    private readonly int[] vertices = new int[capacity];
    private readonly double[] bounds = new double[capacity + 1];
    private readonly double[] lifted = new double[capacity];

    /// <summary>The envelope of the parabolas of <paramref name="values"/>, into <paramref name="output"/> (as long).</summary>
    public void Transform(ReadOnlySpan<double> values, Span<double> output)
    {
        var n = values.Length;
        output = output[..n];
        // Spans of the line's length, so the loops below run without bounds checks.
        Span<double> g = lifted.AsSpan(0, n), z = bounds.AsSpan(0, n + 1);
        Span<int> v = vertices.AsSpan(0, n);
        // f(q) + q², which every intersection with q needs: once per q rather than once per comparison.
        for (var q = 0; q < n; q++) g[q] = values[q] + (double)q * q;
        var k = 0;
        v[0] = 0;
        z[0] = double.NegativeInfinity;
        z[1] = double.PositiveInfinity;
        for (var q = 1; q < n; q++)
        {
            // Where the parabola from q overtakes the last one kept (the division as the paper writes it, so the
            // envelope is the same to the last bit).
            var s = (g[q] - g[v[k]]) / (2.0 * q - 2.0 * v[k]);
            while (s <= z[k])
            {
                k--;
                s = (g[q] - g[v[k]]) / (2.0 * q - 2.0 * v[k]);
            }
            k++;
            v[k] = q;
            z[k] = s;
            z[k + 1] = double.PositiveInfinity;
        }
        k = 0;
        for (var q = 0; q < n; q++)
        {
            while (z[k + 1] < q) k++;
            var d = q - v[k];
            output[q] = d * (double)d + values[v[k]];
        }
    }
}
