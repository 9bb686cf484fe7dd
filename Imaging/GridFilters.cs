using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MnistEvents.Imaging;

/// <summary>
/// Square max and min filters and paraboloid dilation and erosion on a row-major grid, separable, edges clamped, each
/// line in time independent of the radius, and the closings and opening made of them. Every pass runs along whole rows,
/// many cells at a time: the pass across them works on the grid turned on its side. One instance reuses its buffers
/// across calls (a closing's middle step among them), and a thread keeps the last it used for the next image of its size
/// (<see cref="Rent"/>): allocated afresh, its buffers came zeroed from memory the cache no longer held, and that cost
/// more than the filters on a 28×28 image.
/// </summary>
internal sealed class GridFilters(int cells, int longestLine) : IDisposable
{
    // A thread keeps filters for grids up to this size (a small image's padded paper grid: 2,116 cells for 28×28), about
    // 0.6 MB of buffers at most; a photo's (38,000 cells) costs tens of milliseconds to read anyway, and kept on every
    // thread of the pool its 1.4 MB would add up.
    private const int LargestKept = 1 << 14;

    [ThreadStatic] private static GridFilters? kept;

    /// <summary>Filters for grids of up to <paramref name="cells"/> cells and lines of <paramref name="longestLine"/>: this thread's own when it has them (dispose them to give them back).</summary>
    public static GridFilters Rent(int cells, int longestLine)
    {
        if (kept is { } filters && filters.cells == cells && filters.longestLine == longestLine)
        {
            kept = null;
            return filters;
        }
        return new GridFilters(cells, longestLine);
    }

    /// <summary>Gives the filters back to this thread for the next image of the same size; every buffer is written before it is read.</summary>
    public void Dispose()
    {
        if (cells <= LargestKept) kept = this;
    }

    private readonly int cells = cells, longestLine = longestLine;
    private readonly float[] between = new float[cells];
    private readonly float[] turned = new float[cells];
    private readonly float[] filtered = new float[cells];
    private readonly double[] lines = new double[cells];
    private readonly double[] lowest = new double[cells];
    private readonly Envelope envelope = new(longestLine);
    // The running extremes' blocks, a grid's width times its padded height: grown to the largest asked for.
    private float[] forward = [], backward = [];

    /// <summary>Closing (max, then min) over the square of side 2·radius+1: dark features narrower than it filled.</summary>
    public void Closing(float[] source, float[] target, int w, int h, int radius) => Sandwich(source, target, w, h, radius, maxFirst: true);

    /// <summary>Opening (min, then max) over the square of side 2·radius+1: light features narrower than it removed.</summary>
    public void Opening(float[] source, float[] target, int w, int h, int radius) => Sandwich(source, target, w, h, radius, maxFirst: false);

    /// <summary>Closing by the paraboloid of <paramref name="k"/> (dilation, then erosion).</summary>
    public void ParabolicClosing(float[] source, float[] target, int w, int h, double k)
    {
        Parabolic(source, between, w, h, k, dilate: true);
        Parabolic(between, target, w, h, k, dilate: false);
    }

    /// <summary>
    /// The max (or min) over the square of side 2·radius+1 around each cell, into <paramref name="target"/>: down the
    /// columns, then down the columns of the grid turned (its rows). A max is exact, so the order of the passes and of
    /// the comparisons within them leaves every value as a cell-by-cell search would find it.
    /// </summary>
    public void Extreme(float[] source, float[] target, int w, int h, int radius, bool max)
    {
        Down(source, target, w, h, radius, max);
        Turn(target, turned, w, h);
        Down(turned, filtered, h, w, radius, max);
        Turn(filtered, target, h, w);
    }

    /// <summary>
    /// One square extreme then the other: down, across (turned), across again, down. The passes of one extreme commute (a
    /// max is exact), so the second runs across first while the grid is still turned, and it is turned twice, not four times.
    /// </summary>
    private void Sandwich(float[] source, float[] target, int w, int h, int radius, bool maxFirst)
    {
        Down(source, target, w, h, radius, maxFirst);
        Turn(target, turned, w, h);
        Down(turned, filtered, h, w, radius, maxFirst);
        Down(filtered, turned, h, w, radius, !maxFirst);
        Turn(turned, target, h, w);
        // Down reads all its source before it writes: the grid may be both.
        Down(target, target, w, h, radius, !maxFirst);
    }

    /// <summary>
    /// Dilation (max of f(t) − k·|x−t|²) or erosion (min of f(t) + k·|x−t|²) by a paraboloid, into
    /// <paramref name="target"/>: each line a lower envelope of parabolas (<see cref="Envelope"/>), the rows, then the
    /// rows of the grid turned.
    /// </summary>
    public void Parabolic(float[] source, float[] target, int w, int h, double k, bool dilate)
    {
        var sign = dilate ? -1 : 1;
        Along(source, filtered, w, h, k, sign);
        Turn(filtered, turned, w, h);
        Along(turned, filtered, h, w, k, sign);
        Turn(filtered, target, h, w);
    }

    /// <summary>
    /// Each row's parabolic transform: sign·f/k, its envelope, then sign·k times that, the arithmetic of the envelope
    /// written line by line, with the scaling done four cells at a time (a vector's division and conversion round as
    /// the scalar ones do).
    /// </summary>
    private void Along(float[] source, float[] target, int w, int h, double k, int sign)
    {
        var n = w * h;
        Span<double> scaled = lines.AsSpan(0, n), transformed = lowest.AsSpan(0, n);
        ReadOnlySpan<float> values = source.AsSpan(0, n);
        var x = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<double> signs = Vector256.Create((double)sign), ks = Vector256.Create(k);
            for (; x + Vector256<float>.Count <= n; x += Vector256<float>.Count)
            {
                var (low, high) = Vector256.Widen(Vector256.Create(values.Slice(x, Vector256<float>.Count)));
                (signs * low / ks).CopyTo(scaled.Slice(x));
                (signs * high / ks).CopyTo(scaled.Slice(x + Vector256<double>.Count));
            }
        }
        for (; x < n; x++) scaled[x] = sign * values[x] / k;
        for (var y = 0; y < h; y++)
        {
            var row = scaled.Slice(y * w, w);
            // A blank line (a page's margin, a drawing's empty rows: often most of them) needs no envelope: each point's
            // own parabola is lowest there (its neighbours' meet it halfway between), so it is 0² + f(x).
            if (Constant(values.Slice(y * w, w)))
                for (var i = 0; i < w; i++) transformed[y * w + i] = 0 * (double)0 + row[i];
            else
                envelope.Transform(row, transformed.Slice(y * w, w));
        }
        var output = target.AsSpan(0, n);
        x = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<double> signs = Vector256.Create((double)sign), ks = Vector256.Create(k);
            for (; x + Vector256<float>.Count <= n; x += Vector256<float>.Count)
            {
                var low = signs * Vector256.Create(transformed.Slice(x, Vector256<double>.Count)) * ks;
                var high = signs * Vector256.Create(transformed.Slice(x + Vector256<double>.Count, Vector256<double>.Count)) * ks;
                Vector256.Narrow(low, high).CopyTo(output.Slice(x));
            }
        }
        for (; x < n; x++) output[x] = (float)(sign * transformed[x] * k);
    }

    /// <summary>Whether the values are the same, bit for bit.</summary>
    private static bool Constant(ReadOnlySpan<float> values) =>
        MemoryMarshal.Cast<float, int>(values) is var bits && !bits[1..].ContainsAnyExcept(bits[0]);

    /// <summary>
    /// The max (or min) over a window of 2·radius+1 down each column (van Herk / Gil–Werman: running extremes within
    /// blocks of the window's length, from either end, combined), whole rows at a time.
    /// </summary>
    private void Down(float[] source, float[] target, int w, int h, int radius, bool max)
    {
        var window = 2 * radius + 1;
        var padded = h + 2 * radius;
        if (forward.Length < padded * w)
        {
            forward = new float[padded * w];
            backward = new float[padded * w];
        }
        // Row k of the column stack is the grid's row k − radius, its ends repeated outward.
        ReadOnlySpan<float> Row(int k) => source.AsSpan(Math.Clamp(k - radius, 0, h - 1) * w, w);
        Span<float> Of(float[] rows, int k) => rows.AsSpan(k * w, w);
        for (var block = 0; block < padded; block += window)
        {
            var end = Math.Min(block + window, padded) - 1;
            Row(block).CopyTo(Of(forward, block));
            Row(end).CopyTo(Of(backward, end));
            for (var k = block + 1; k <= end; k++) Combine(Of(forward, k - 1), Row(k), Of(forward, k), max);
            for (var k = end - 1; k >= block; k--) Combine(Of(backward, k + 1), Row(k), Of(backward, k), max);
        }
        for (var i = 0; i < h; i++) Combine(Of(backward, i), Of(forward, i + window - 1), target.AsSpan(i * w, w), max);
    }

    /// <summary>The cell-by-cell max (or min) of two rows.</summary>
    private static void Combine(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> result, bool max)
    {
        var x = 0;
        for (; x + Vector256<float>.Count <= a.Length; x += Vector256<float>.Count)
        {
            Vector256<float> u = Vector256.Create(a.Slice(x, Vector256<float>.Count)), v = Vector256.Create(b.Slice(x, Vector256<float>.Count));
            (max ? Vector256.MaxNative(u, v) : Vector256.MinNative(u, v)).CopyTo(result.Slice(x));
        }
        for (; x < a.Length; x++) result[x] = max ? Larger(a[x], b[x]) : Smaller(a[x], b[x]);
    }

    /// <summary>The grid (<paramref name="w"/> wide) turned on its side: <paramref name="target"/>'s row x is its column x.</summary>
    private static void Turn(float[] source, float[] target, int w, int h)
    {
        for (var y = 0; y < h; y++)
        {
            var row = source.AsSpan(y * w, w);
            for (var x = 0; x < row.Length; x++) target[x * h + y] = row[x];
        }
    }

    // Math.Max and Math.Min order -0 below +0 and carry NaN, branching on the data at every step (a running extreme
    // mispredicts often); the grids here hold neither (means and blurs of brightness, from +0 up), so the processor's
    // own max and min give the same values.
    private static float Larger(float a, float b) => Vector128.MaxNative(Vector128.CreateScalarUnsafe(a), Vector128.CreateScalarUnsafe(b)).ToScalar();

    private static float Smaller(float a, float b) => Vector128.MinNative(Vector128.CreateScalarUnsafe(a), Vector128.CreateScalarUnsafe(b)).ToScalar();
}
