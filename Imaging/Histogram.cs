namespace MnistEvents.Imaging;

/// <summary>Percentiles of values in [-1, 1] in one pass, without sorting a megapixel array.</summary>
internal static class Histogram
{
    private const int Bins = 2048;

    // Fewer values than this are binned and sorted instead: clearing and walking 2,049 counts costs more than sorting a
    // few hundred bins (a small image's blocks), and the value at a rank falls in the bin the counts would give.
    private const int SortedBelow = 512;

    /// <summary>Several percentiles (ascending) of the same values in one pass.</summary>
    public static float[] Percentiles(ReadOnlySpan<float> values, params ReadOnlySpan<float> qs)
    {
        var result = new float[qs.Length];
        if (values.IsEmpty) return result;
        if (values.Length < SortedBelow)
        {
            Span<int> sorted = stackalloc int[values.Length];
            SortedBins(values, sorted);
            for (var i = 0; i < qs.Length; i++) result[i] = Value(sorted[(int)Rank(qs[i], values.Length)]);
            return result;
        }
        Span<long> counts = stackalloc long[Bins + 1];
        foreach (var v in values) counts[Bin(v)]++;
        FromCounts(counts, values.Length, qs, result);
        return result;
    }

    /// <summary>
    /// <see cref="Percentiles(ReadOnlySpan{float}, ReadOnlySpan{float})"/> of values given as distinct
    /// <paramref name="levels"/>, each occurring <paramref name="counts"/> times.
    /// </summary>
    public static float[] Percentiles(ReadOnlySpan<float> levels, ReadOnlySpan<long> counts, ReadOnlySpan<float> qs)
    {
        var result = new float[qs.Length];
        long total = 0;
        foreach (var c in counts) total += c;
        if (total == 0) return result;
        Span<long> bins = stackalloc long[Bins + 1];
        for (var i = 0; i < levels.Length; i++) bins[Bin(levels[i])] += counts[i];
        FromCounts(bins, total, qs, result);
        return result;
    }

    public static float Percentile(ReadOnlySpan<float> values, float q) => values.IsEmpty ? 0 : Percentiles(values, q)[0];

    /// <summary>The percentiles of <paramref name="total"/> values counted per bin, into <paramref name="result"/>.</summary>
    private static void FromCounts(ReadOnlySpan<long> counts, long total, ReadOnlySpan<float> qs, float[] result)
    {
        long seen = 0;
        var next = 0;
        for (var bin = 0; bin <= Bins && next < qs.Length; bin++)
        {
            seen += counts[bin];
            while (next < qs.Length && seen > Rank(qs[next], total)) result[next++] = Value(bin);
        }
        while (next < qs.Length) result[next++] = 1;
    }

    private static long Rank(float q, long count) => (long)Math.Round(q * (count - 1));

    private static float Value(int bin) => bin * 2f / Bins - 1;

    private static void SortedBins(ReadOnlySpan<float> values, Span<int> bins)
    {
        for (var i = 0; i < values.Length; i++) bins[i] = Bin(values[i]);
        bins.Sort();
    }

    private static int Bin(float v) => (int)((Math.Clamp(v, -1f, 1f) + 1) * (Bins / 2));
}
