namespace MnistEvents.Imaging;

/// <summary>Percentiles of values in [-1, 1] in one pass, without sorting a megapixel array.</summary>
internal static class Histogram
{
    private const int Bins = 2048;

    /// <summary>Several percentiles (ascending) of the same values in one pass.</summary>
    public static float[] Percentiles(ReadOnlySpan<float> values, params ReadOnlySpan<float> qs)
    {
        var result = new float[qs.Length];
        if (values.IsEmpty) return result;
        Span<int> counts = stackalloc int[Bins + 1];
        foreach (var v in values) counts[Bin(v)]++;
        long seen = 0;
        var next = 0;
        for (var bin = 0; bin <= Bins && next < qs.Length; bin++)
        {
            seen += counts[bin];
            while (next < qs.Length && seen > (long)Math.Round(qs[next] * (values.Length - 1))) result[next++] = bin * 2f / Bins - 1;
        }
        while (next < qs.Length) result[next++] = 1;
        return result;
    }

    public static float Percentile(ReadOnlySpan<float> values, float q)
    {
        if (values.IsEmpty) return 0;
        Span<int> counts = stackalloc int[Bins + 1];
        foreach (var v in values) counts[Bin(v)]++;
        var rank = (long)Math.Round(q * (values.Length - 1));
        long seen = 0;
        for (var bin = 0; bin <= Bins; bin++)
        {
            seen += counts[bin];
            if (seen > rank) return bin * 2f / Bins - 1;
        }
        return 1;
    }

    private static int Bin(float v) => (int)((Math.Clamp(v, -1f, 1f) + 1) * (Bins / 2));
}
