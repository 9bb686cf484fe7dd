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
            using var filters = GridFilters.Rent(grid.Length, Math.Max(w, h));
            filters.Parabolic(grid, filtered, w, h, 0.02, dilate);

            Assert.Equal(ParabolicByEnvelope(grid, w, h, 0.02, dilate), filtered);
        }
    }

    [Fact]
    public void FlatExtremesOfABlankLineAreItsValue()
    {
        const int w = 9, h = 6;
        var grid = Enumerable.Range(0, w * h).Select(i => i / w < 2 ? 0.5f : i % 7 / 7f).ToArray();
        var filtered = new float[grid.Length];
        using var filters = GridFilters.Rent(grid.Length, Math.Max(w, h));
        filters.Extreme(grid, filtered, w, h, 2, max: true);

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

    public static TheoryData<int, int, int> Grids => new()
    {
        // A 28x28 upload's padded paper grid, the canvas's, a photo's, and shapes whose rows are not whole vectors.
        { 46, 46, 4 }, { 144, 144, 12 }, { 1, 9, 2 }, { 13, 1, 3 }, { 9, 17, 1 }, { 31, 7, 5 }, { 194, 130, 16 },
    };

    [Theory]
    [MemberData(nameof(Grids))]
    public void FlatClosingsAndOpeningsAreTheSquaresExtremesCellByCell(int w, int h, int radius)
    {
        var grid = RandomGrid(w, h, seed: w * 1000 + h);
        using var filters = GridFilters.Rent(grid.Length, Math.Max(w, h));
        foreach (var max in (bool[])[true, false])
        {
            var filtered = new float[grid.Length];
            filters.Extreme(grid, filtered, w, h, radius, max);
            Assert.Equal(SquareExtreme(grid, w, h, radius, max), filtered);
        }
        var closed = new float[grid.Length];
        var opened = new float[grid.Length];
        filters.Closing(grid, closed, w, h, radius);
        filters.Opening(grid, opened, w, h, radius);
        Assert.Equal(SquareExtreme(SquareExtreme(grid, w, h, radius, max: true), w, h, radius, max: false), closed);
        Assert.Equal(SquareExtreme(SquareExtreme(grid, w, h, radius, max: false), w, h, radius, max: true), opened);
    }

    [Theory]
    [MemberData(nameof(Grids))]
    public void ParabolicFiltersAreTheEnvelopeLineByLineToTheBit(int w, int h, int radius)
    {
        var grid = RandomGrid(w, h, seed: w * 1000 + h + 1);
        var k = 0.3 / (radius * radius);
        // Rented twice from one thread: the second time its buffers hold the first grid's values, which must not show.
        for (var rent = 0; rent < 2; rent++)
        {
            using var filters = GridFilters.Rent(grid.Length, Math.Max(w, h));
            foreach (var dilate in (bool[])[true, false])
            {
                var filtered = new float[grid.Length];
                filters.Parabolic(grid, filtered, w, h, k, dilate);
                Assert.Equal(ParabolicByEnvelope(grid, w, h, k, dilate), filtered);
            }
            var closed = new float[grid.Length];
            filters.ParabolicClosing(grid, closed, w, h, k);
            Assert.Equal(ParabolicByEnvelope(ParabolicByEnvelope(grid, w, h, k, dilate: true), w, h, k, dilate: false), closed);
            grid = [.. grid.Select(v => v / 2)];
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 5)]
    [InlineData(6, 1)]
    [InlineData(28, 28)]
    [InlineData(35, 9)]
    public void TheBinomialBlurRoundsEightCellsAtATimeAsItDidOneAtATime(int w, int h)
    {
        var random = new Random(w * 100 + h);
        var values = Enumerable.Range(0, w * h).Select(_ => (float)(random.NextDouble() * 2.2 - 1.1)).ToArray();
        var rows = new float[w * h];
        var expected = new float[w * h];
        for (var y = 0; y < h; y++)
        for (var x = 0; x < w; x++)
            rows[y * w + x] = 0.25f * values[y * w + Math.Max(0, x - 1)] + 0.5f * values[y * w + x] + 0.25f * values[y * w + Math.Min(w - 1, x + 1)];
        for (var y = 0; y < h; y++)
        for (var x = 0; x < w; x++)
            expected[y * w + x] = 0.25f * rows[Math.Max(0, y - 1) * w + x] + 0.5f * rows[y * w + x] + 0.25f * rows[Math.Min(h - 1, y + 1) * w + x];

        Assert.Equal(expected, InkMap.Binomial(values, w, h));
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(7, 255)]
    [InlineData(8, 0)]
    [InlineData(29, 255)]
    [InlineData(64, 0)]
    public void InkStrengthEightPixelsAtATimeIsThePixelByPixelFormulaToTheBit(int width, int flip)
    {
        var random = new Random(width * 7 + flip);
        for (var trial = 0; trial < 50; trial++)
        {
            var pixels = Enumerable.Range(0, width).Select(_ => (uint)random.NextInt64(0, 1L << 32)).ToArray();
            // Paper from black (the 0.04 floor decides) to white; every third trial a tinted paper, so the channel term wins.
            float Paper() => random.Next(6) == 0 ? 0f : (float)random.NextDouble();
            var above = Enumerable.Range(0, width).Select(_ => Paper()).ToArray();
            var below = Enumerable.Range(0, width).Select(_ => Paper()).ToArray();
            var down = random.Next(4) == 0 ? 0f : (float)random.NextDouble();
            float tintR = trial % 3 == 0 ? 1.3f : 1f, tintG = trial % 3 == 0 ? 0.9f : 1f, tintB = trial % 3 == 0 ? 0.6f : 1f;
            var brightest = Math.Max(tintR, Math.Max(tintG, tintB));
            var strength = new float[width];

            new InkStrength(tintR, tintG, tintB, brightest, flip).Row(pixels, above, below, down, strength);

            for (var x = 0; x < width; x++)
            {
                // As InkMap measured it one pixel at a time before.
                var pl = above[x] * (1 - down) + below[x] * down;
                float r = Math.Abs(flip - (int)(pixels[x] & 0xFF)) / 255f, g = Math.Abs(flip - (int)((pixels[x] >> 8) & 0xFF)) / 255f, b = Math.Abs(flip - (int)((pixels[x] >> 16) & 0xFF)) / 255f;
                var inChannel = Math.Max(pl * tintR - r, Math.Max(pl * tintG - g, pl * tintB - b)) / Math.Max(0.04f, pl * brightest);
                var inLuminance = (pl - (0.299f * r + 0.587f * g + 0.114f * b)) / Math.Max(0.04f, pl);
                var expected = Math.Clamp(Math.Max(inLuminance, Math.Min(inChannel, 1.5f * inLuminance)), -1, 1);
                Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(strength[x]));
            }
        }
    }

    public static TheoryData<int, int, double> Masks => new()
    {
        { 1, 1, 0.5 }, { 5, 3, 0.6 }, { 37, 29, 0.45 }, { 64, 40, 0.7 }, { 280, 280, 0.08 },
    };

    [Theory]
    [MemberData(nameof(Masks))]
    public void InkPiecesAreWalkedAndSummedInTheOrderTheClippedNeighbourLoopsWalkedThem(int width, int height, double density)
    {
        var random = new Random(width * 1000 + height);
        var mask = Enumerable.Range(0, width * height).Select(_ => random.NextDouble() < density).ToArray();
        // Strengths whose float sum depends on the order they are added in, some below 0 (brighter than the paper).
        var strength = Enumerable.Range(0, width * height).Select(_ => (float)(random.NextDouble() * 1.3 - 0.1) * (1 + random.Next(1000) * 1e-4f)).ToArray();
        var seed = Enumerable.Range(0, width * height).Select(_ => random.Next(5) == 0).ToArray();
        var beyond = Enumerable.Range(0, width * height).Select(_ => random.Next(7) == 0).ToArray();
        foreach (var outside in (bool[][])[beyond, []])
        {
            var components = InkComponents.Find(mask, strength, seed, outside, width, height, onPaper: true);

            var (labels, pieces) = ComponentsByClippedLoops(mask, strength, seed, outside, width, height);
            Assert.Equal(pieces, components.Pieces);
            Assert.Equal(labels, components.Labels);
        }
    }

    public static TheoryData<int, int, int> Dilations => new()
    {
        { 1, 1, 1 }, { 31, 9, 1 }, { 33, 17, 2 }, { 64, 50, 3 }, { 70, 45, 7 }, { 100, 80, 16 }, { 20, 12, 40 },
    };

    [Theory]
    [MemberData(nameof(Dilations))]
    public void DilationByDoublingIsTheOrOfEverySquareWindowInTheBox(int boxWidth, int boxHeight, int radius)
    {
        const int left = 3, top = 2;
        int width = boxWidth + 9, height = boxHeight + 5;
        var random = new Random(boxWidth * 100 + radius);
        var set = Enumerable.Range(0, width * height).Select(_ => random.Next(60) == 0).ToArray();

        var (grown, stride) = DigitInk.Dilate(set, width, left, top, boxWidth, boxHeight, radius);

        for (var y = 0; y < boxHeight; y++)
        for (var x = 0; x < boxWidth; x++)
        {
            var expected = false;
            for (var v = Math.Max(0, y - radius); v <= Math.Min(boxHeight - 1, y + radius); v++)
            for (var u = Math.Max(0, x - radius); u <= Math.Min(boxWidth - 1, x + radius); u++)
                expected |= set[(top + v) * width + left + u];
            Assert.Equal(expected, grown[y * stride + x]);
        }
    }

    [Fact]
    public void ThresholdingManyAtATimeIsEachValueComparedOnItsOwn()
    {
        var random = new Random(11);
        foreach (var length in Enumerable.Range(0, 70))
        {
            var values = Enumerable.Range(0, length).Select(_ => random.Next(6) == 0 ? 0.25f : (float)(random.NextDouble() * 2 - 1)).ToArray();
            var result = Enumerable.Repeat(true, length).ToArray();
            DigitInk.AtLeast(values, 0.25f, result);
            Assert.Equal(values.Select(v => v >= 0.25f), result);
        }
    }

    [Fact]
    public void StrokeWidthCountsEveryInkPixelAndEachPairOfTouchingOnes()
    {
        var random = new Random(13);
        foreach (var (width, height) in new[] { (1, 1), (1, 9), (8, 3), (9, 9), (17, 12), (40, 33) })
        {
            var ink = Enumerable.Range(0, width * height).Select(_ => random.Next(5) == 0 ? 0.5f : (float)random.NextDouble()).ToArray();
            long area = 0, shared = 0;
            for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                if (ink[y * width + x] < 0.5f) continue;
                area++;
                if (x > 0 && ink[y * width + x - 1] >= 0.5f) shared++;
                if (y > 0 && ink[(y - 1) * width + x] >= 0.5f) shared++;
            }
            var perimeter = 4 * area - 2 * shared;
            Assert.Equal(perimeter == 0 ? 0 : 2.0 * area / perimeter, StrokeWidth.Measure(ink, width, height));
        }
    }

    [Fact]
    public void LevelsAreRoundedHalfToEvenAsMathRoundRoundsThem()
    {
        var random = new Random(17);
        // Every level and every half between two (those whose product with 255 is exact), then random values.
        var values = Enumerable.Range(0, 511).Select(h => h / 2f / 255f).Concat(Enumerable.Range(0, 300).Select(_ => (float)random.NextDouble())).Append(1f).ToArray();
        var levels = new byte[values.Length];

        DigitCentring.ToLevels(values, levels);

        Assert.Equal(values.Select(v => (byte)Math.Round(v * 255)), levels);
    }

    [Fact]
    public void TightenedBoxIsThatOfEveryPixelOutsideTheFringe()
    {
        var random = new Random(19);
        foreach (var (width, height) in new[] { (1, 1), (7, 5), (9, 8), (33, 20), (60, 61) })
        {
            var ink = Enumerable.Range(0, width * height).Select(_ => random.Next(9) == 0 ? (float)random.NextDouble() : 0.1f).ToArray();
            int l = width - 1, t = height - 1, r = 0, b = 0;
            for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                if (ink[y * width + x] < 0.15f) continue;
                (l, t, r, b) = (Math.Min(l, x), Math.Min(t, y), Math.Max(r, x), Math.Max(b, y));
            }
            var expected = r < l ? (0, 0, width - 1, height - 1) : (l, t, r, b);
            Assert.Equal(expected, DigitCentring.Tighten(ink, width, 0, 0, width - 1, height - 1));
        }
    }

    [Fact]
    public void ATransparentImagesInkIsItsOpacityAndLiesInItsInkBox()
    {
        var random = new Random(23);
        using var image = new SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgba32>(45, 37);
        // A drawn blob (alpha 1-255) in the middle of a transparent canvas, and alphas across the range.
        for (var y = 9; y < 30; y++)
        for (var x = 5; x < 41; x++)
            if (random.Next(3) > 0) image[x, y] = new(20, 20, 30, (byte)random.Next(1, 256));
        image[5, 9] = new(0, 0, 0, 1);

        using var map = InkMap.Measure(image);

        Assert.True(map.Transparent);
        int left = map.Width, top = map.Height, right = -1, bottom = -1;
        for (var y = 0; y < map.Height; y++)
        for (var x = 0; x < map.Width; x++)
        {
            Assert.Equal(image[x, y].A / 255f, map.Strength[y * map.Width + x]);
            if (image[x, y].A == 0) continue;
            (left, top, right, bottom) = (Math.Min(left, x), Math.Min(top, y), Math.Max(right, x), Math.Max(bottom, y));
        }
        Assert.Equal((left, top, right, bottom), map.InkBox);
    }

    [Fact]
    public void ScratchArraysComeBackClearedAndAreNeverHeldTwice()
    {
        var first = Scratch<int>.Take(1237);
        first[7] = 9;
        var second = Scratch<int>.Take(1237);
        Assert.NotSame(first, second);
        Scratch<int>.Give(first);

        var again = Scratch<int>.Take(1237);

        Assert.Same(first, again);
        Assert.All(again, v => Assert.Equal(0, v));
        Assert.NotSame(again, Scratch<int>.Take(1237));
        Assert.Equal(1236, Scratch<int>.Take(1236).Length);
    }

    // Connected pieces as they were found before the walk was padded: the neighbours by loops clipped at the border.
    private static (int[] Labels, List<InkComponent> Pieces) ComponentsByClippedLoops(bool[] mask, float[] strength, bool[] seed, bool[] beyond, int width, int height)
    {
        var labels = new int[mask.Length];
        var pieces = new List<InkComponent>();
        var stack = new Stack<(int Index, int X, int Y)>();
        for (var start = 0; start < mask.Length; start++)
        {
            if (!mask[start] || labels[start] != 0) continue;
            var label = pieces.Count + 1;
            int count = 0, left = width, top = height, right = -1, bottom = -1, outside = 0;
            float mass = 0;
            var seeded = false;
            labels[start] = label;
            stack.Push((start, start % width, start / width));
            while (stack.TryPop(out var pixel))
            {
                var (i, x, y) = pixel;
                count++;
                mass += Math.Max(0, strength[i]);
                seeded |= seed[i];
                (left, right, top, bottom) = (Math.Min(left, x), Math.Max(right, x), Math.Min(top, y), Math.Max(bottom, y));
                if (beyond.Length > 0 && beyond[i]) outside++;
                for (var ny = Math.Max(0, y - 1); ny <= Math.Min(height - 1, y + 1); ny++)
                for (var nx = Math.Max(0, x - 1); nx <= Math.Min(width - 1, x + 1); nx++)
                {
                    var n = ny * width + nx;
                    if (!mask[n] || labels[n] != 0) continue;
                    labels[n] = label;
                    stack.Push((n, nx, ny));
                }
            }
            pieces.Add(new InkComponent(label, count, mass, seeded, left, top, right, bottom, outside));
        }
        return (labels, pieces);
    }

    private static float BinValue(float v) => (int)((Math.Clamp(v, -1f, 1f) + 1) * 1024) * 2f / 2048 - 1;

    // Brightness from +0 up, with blank rows (a page's margin) and repeats among the noise.
    private static float[] RandomGrid(int w, int h, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, w * h).Select(i => i / w < 2 || random.Next(5) == 0 ? 0.75f : (float)random.NextDouble())];
    }

    // The max (or min) over the square around each cell, its edges clamped, looked at cell by cell.
    private static float[] SquareExtreme(float[] grid, int w, int h, int radius, bool max)
    {
        var result = new float[grid.Length];
        for (var y = 0; y < h; y++)
        for (var x = 0; x < w; x++)
        {
            var extreme = grid[y * w + x];
            for (var v = Math.Max(0, y - radius); v <= Math.Min(h - 1, y + radius); v++)
            for (var u = Math.Max(0, x - radius); u <= Math.Min(w - 1, x + radius); u++)
                extreme = max ? Math.Max(extreme, grid[v * w + u]) : Math.Min(extreme, grid[v * w + u]);
            result[y * w + x] = extreme;
        }
        return result;
    }

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
            envelope.Transform(line.AsSpan(0, w), output);
            for (var x = 0; x < w; x++) rows[y * w + x] = (float)(sign * output[x] * k);
        }
        for (var x = 0; x < w; x++)
        {
            for (var y = 0; y < h; y++) line[y] = sign * rows[y * w + x] / k;
            envelope.Transform(line.AsSpan(0, h), output);
            for (var y = 0; y < h; y++) target[y * w + x] = (float)(sign * output[y] * k);
        }
        return target;
    }
}
