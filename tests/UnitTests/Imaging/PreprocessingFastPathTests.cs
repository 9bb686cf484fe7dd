using MnistEvents.Imaging;

namespace MnistEvents.UnitTests.Imaging;

/// <summary>
/// The preprocessing's shortcuts give exactly what the steps they stand for give (to the bit: the model's input must
/// not move; bench/Bench model-inputs checks the whole pipeline against an earlier build on every upload family).
/// </summary>
public class PreprocessingFastPathTests
{
    public static TheoryData<int> Sizes => new() { 1, 2, 7, 64, 511, 512, 513, 2000 };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void PercentilesAreTheBinOfTheValueAtTheirRankWhetherSortedOrCounted(int count)
    {
        var random = new Random(count);
        // Some repeats, as a blank page's pixels repeat, and both ends of the range.
        var values = Enumerable.Range(0, count).Select(_ => random.Next(4) == 0 ? 0.25f : (float)(2 * random.NextDouble() - 1)).ToArray();
        values[0] = -1;
        float[] qs = [0.02f, 0.1f, 0.1587f, 0.5f, 0.999f, 1];

        var percentiles = Histogram.Percentiles(values, qs);

        var sorted = values.Order().ToArray();
        for (var i = 0; i < qs.Length; i++)
        {
            var expected = BinValue(sorted[(int)Math.Round(qs[i] * (count - 1))]);
            Assert.Equal(expected, percentiles[i]);
            Assert.Equal(expected, Histogram.Percentile(values, qs[i]));
        }
    }

    [Fact]
    public void PercentilesOfCountedLevelsEqualThoseOfTheValuesThemselves()
    {
        var random = new Random(3);
        var counts = Enumerable.Range(0, 256).Select(a => a % 5 == 0 ? random.Next(0, 3000) : 0L).ToArray();
        counts[0] = 70_000;
        var levels = Enumerable.Range(0, 256).Select(a => a / 255f).ToArray();
        var values = Enumerable.Range(0, 256).SelectMany(a => Enumerable.Repeat(levels[a], (int)counts[a])).ToArray();
        float[] qs = [0.1587f, 0.5f, 0.999f];

        Assert.Equal(Histogram.Percentiles(values, qs), Histogram.Percentiles(levels, counts, qs));
    }

    [Fact]
    public void ParabolicClosingOfABlankLineIsWhatTheEnvelopeGivesIt()
    {
        // Rows 0-3 blank, the rest not; after the row pass, columns 0-1 and 8-9 are blank too.
        const int w = 10, h = 8;
        var random = new Random(5);
        var grid = new float[w * h];
        for (var y = 0; y < h; y++)
        for (var x = 0; x < w; x++)
            grid[y * w + x] = y < 4 || x < 2 || x >= 8 ? 0.7f : (float)random.NextDouble();
        foreach (var dilate in (bool[])[true, false])
        {
            var filtered = new float[grid.Length];
            new GridFilters(grid.Length, Math.Max(w, h)).Parabolic(grid, filtered, w, h, 0.02, dilate);

            Assert.Equal(ParabolicByEnvelope(grid, w, h, 0.02, dilate), filtered);
        }
    }

    [Fact]
    public void FlatExtremesOfABlankLineAreItsValue()
    {
        const int w = 9, h = 6;
        var grid = Enumerable.Range(0, w * h).Select(i => i / w < 2 ? 0.5f : i % 7 / 7f).ToArray();
        var filtered = new float[grid.Length];
        new GridFilters(grid.Length, Math.Max(w, h)).Extreme(grid, filtered, w, h, 2, max: true);

        for (var y = 0; y < h; y++)
        for (var x = 0; x < w; x++)
        {
            var expected = float.MinValue;
            for (var v = Math.Max(0, y - 2); v <= Math.Min(h - 1, y + 2); v++)
            for (var u = Math.Max(0, x - 2); u <= Math.Min(w - 1, x + 2); u++)
                expected = Math.Max(expected, grid[v * w + u]);
            Assert.Equal(expected, filtered[y * w + x]);
        }
    }

    private static float BinValue(float v) => (int)((Math.Clamp(v, -1f, 1f) + 1) * 1024) * 2f / 2048 - 1;

    // The parabolic filter as it was written before blank lines were short-cut: every line through the envelope.
    private static float[] ParabolicByEnvelope(float[] source, int w, int h, double k, bool dilate)
    {
        var sign = dilate ? -1 : 1;
        var envelope = new Envelope(Math.Max(w, h));
        var line = new double[Math.Max(w, h)];
        var output = new double[Math.Max(w, h)];
        var rows = new float[source.Length];
        var target = new float[source.Length];
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
        return target;
    }
}
