using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace MnistEvents.Imaging;

/// <summary>
/// How strongly each pixel differs from the paper under it: 0 on paper, towards 1 for ink that absorbs all the light
/// the paper reflects there. The paper is estimated locally, so uneven light, a shadow, tinted paper and the desk
/// around a page are paper, not ink; the difference is taken in whichever colour channel the ink absorbs most, so a
/// blue, red or green pen reads as strongly as black, and relative to the paper's brightest channel, so the noise of a
/// channel tinted paper reflects little of (blue, under yellow paper) is not magnified. A transparent image's ink is
/// its opaque part.
/// </summary>
public sealed class InkMap : IDisposable
{
    // The paper is estimated on a grid of cell means (noise averages out), at most this many cells across the short side:
    // fine enough that a hard edge (the desk beyond the page, a shadow) leaves at most a thin seam of false ink.
    private const int GridCells = 128;

    // Dark features narrower than this share of the short side (every pen stroke) are closed over to find the paper;
    // wider ones (a shadow, the desk beyond the page) are part of it.
    private const double ClosingShare = 0.25;

    // The rounded closing's paraboloid falls by this much brightness over the flat closing's radius: steeper than any
    // light falls off across a page, so it follows vignetting and gradients, gentler than any stroke's edge. Steeper
    // (0.5 was tried) and it sinks into a marker's broad stroke, whose middle then reads as paper: a hollow outline.
    private const double ParaboloidDrop = 0.3;

    // Images whose median luminance is above this are light paper with dark ink; below the other, the reverse. A dim
    // photo of a page on a desk reads 0.3-0.4 (and its light falling off across the page is a broad light feature that
    // would outweigh a thin digit in the test between them); a dark theme or a blackboard, below 0.25.
    private const float LightImage = 0.3f;
    private const float DarkImage = 0.2f;

    private InkMap(int width, int height, float[] strength, float[] smooth, bool transparent, (float[] Values, int Cell, int Columns)? paper,
        long[]? alpha = null)
    {
        this.paper = paper;
        Transparent = transparent;
        InkBox = (0, 0, width - 1, height - 1);
        Width = width;
        Height = height;
        Strength = strength;
        Smooth = smooth;
        ReadOnlySpan<float> levels = [0.1587f, 0.5f, Math.Max(0.999f, 1f - 16f / smooth.Length)];
        // A transparent image's ink is its opacity, a/255 for each of 256 alpha values: their counts give the same
        // percentiles without binning every pixel again.
        var quantiles = alpha is null ? Histogram.Percentiles(smooth, levels) : Histogram.Percentiles(Opacities, alpha, levels);
        Background = quantiles[1];
        // The paper's pixels are the lower half of the distribution: its spread there is the noise, ink does not widen it.
        Noise = Math.Max(0.002f, Background - quantiles[0]);
        Peak = quantiles[2];
        var (noiseBlock, noiseColumns, grid) = transparent ? (Math.Max(width, height), 1, [Noise]) : LocalNoise(smooth, width, height, Background, Noise, Peak);
        noiseGrid = grid;
        this.noiseBlock = noiseBlock;
        // Each column's and row's place in the grid, once: NoiseAt is asked for every pixel of ink, and two divisions
        // each cost more than the rest of the lookup.
        noiseColumn = new int[width];
        for (var x = 0; x < width; x++) noiseColumn[x] = x / noiseBlock;
        noiseRow = new int[height];
        for (var y = 0; y < height; y++) noiseRow[y] = y / noiseBlock * noiseColumns;
    }

    private readonly (float[] Values, int Cell, int Columns)? paper;

    /// <summary>
    /// How bright the paper is estimated to be at a pixel (0..1 of luminance; of inverted luminance when the ink is
    /// light): the desk beyond a page reads darker than the page. 1 on a transparent image, which has no paper.
    /// </summary>
    public float PaperAt(int x, int y) => paper is { } p ? p.Values[y / p.Cell * p.Columns + x / p.Cell] : 1;

    private readonly int[] noiseColumn, noiseRow;
    private readonly int noiseBlock;
    private readonly float[] noiseGrid;

    /// <summary>
    /// The noise where (x, y) is: as <see cref="Noise"/>, but higher where the background itself is rougher than the
    /// page as a whole (the desk's grain, a textured card), so its roughness is not taken for ink.
    /// </summary>
    public float NoiseAt(int x, int y) => noiseGrid[noiseRow[y] + noiseColumn[x]];

    /// <summary>The first column right of <paramref name="x"/> whose <see cref="NoiseAt"/> may differ from x's (the width at most).</summary>
    public int NoiseRunEnd(int x) => Math.Min(Width, (x / noiseBlock + 1) * noiseBlock);

    /// <summary>Whether the ink is the image's opaque part (a transparent background): no paper, no light, no noise of its own.</summary>
    public bool Transparent { get; }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Ink strength per pixel, row-major; below 0 where a pixel is brighter than the paper around it.</summary>
    public float[] Strength { get; }

    /// <summary><see cref="Strength"/> after a 3×3 binomial blur: single-pixel sensor noise is spread, strokes are not.</summary>
    public float[] Smooth { get; }

    /// <summary>What the paper itself reads as (the median of <see cref="Smooth"/>).</summary>
    public float Background { get; }

    /// <summary>The paper's noise: one standard deviation of <see cref="Smooth"/> about <see cref="Background"/>.</summary>
    public float Noise { get; }

    /// <summary>
    /// Gives <see cref="Strength"/> and <see cref="Smooth"/> back to be used for the next image (<see cref="Scratch{T}"/>):
    /// neither may be read after.
    /// </summary>
    public void Dispose()
    {
        Scratch<float>.Give(Strength);
        if (!ReferenceEquals(Smooth, Strength)) Scratch<float>.Give(Smooth);
    }

    /// <summary>The strongest ink, ignoring the strongest few pixels (a hot pixel): 0.1% of the image but never more than 16 pixels.</summary>
    public float Peak { get; }

    // Blocks an eighth of the short side: larger than any stroke is wide, small enough to follow the desk's extent.
    private static (int Block, int Columns, float[] Grid) LocalNoise(float[] smooth, int w, int h, float background, float noise, float peak)
    {
        var block = Math.Max(8, Math.Min(w, h) / 8);
        int bw = (w + block - 1) / block, bh = (h + block - 1) / block;
        var grid = new float[bw * bh];
        var values = new List<float>(block * block);
        var rise = peak - background;
        for (var by = 0; by < bh; by++)
        for (var bx = 0; bx < bw; bx++)
        {
            values.Clear();
            for (var y = by * block; y < Math.Min(h, (by + 1) * block); y++)
            for (var x = bx * block; x < Math.Min(w, (bx + 1) * block); x++) values.Add(smooth[y * w + x]);
            var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(values);
            // Ink only ever adds to the paper, so the lowest tenth of a block is its paper unless ink covers nearly all of
            // it: its spread there (P10 − P2 is 0.772 standard deviations of a normal noise) is the paper's roughness. Any
            // higher quantile may fall on a broad stroke's edge, and a block the ink fills says nothing of it.
            var low = Histogram.Percentiles(span, 0.02f, 0.1f);
            grid[by * bw + bx] = low[1] - background < 0.3f * rise
                ? Math.Clamp((low[1] - low[0]) / 0.772f, noise, Math.Max(noise, 0.3f * rise))
                : noise;
        }
        return (block, bw, grid);
    }

    public static InkMap Measure(Image<Rgba32> image)
    {
        int w = image.Width, h = image.Height;
        // Read from the image's own rows, pass by pass: copies of its channels would cost a megapixel's floats each.
        var alpha = AlphaHistogram(image);
        // However little of it is drawn: a first stroke on the UI's pad is a fraction of a percent of the canvas.
        var transparent = Array.FindLastIndex(alpha, n => n > 0) - Array.FindIndex(alpha, n => n > 0) > 0.25 * 255;
        if (transparent)
        {
            // Transparent background: what is drawn is what is opaque, whatever its colour. Opacity has no sensor noise to spread.
            var (opacity, inkBox) = Opacity(image);
            return new InkMap(w, h, opacity, opacity, transparent: true, paper: null, alpha) { InkBox = inkBox };
        }
        var (strength, paper) = Darkness(image, DarkInk(image, LuminanceHistogram(image)));
        return new InkMap(w, h, strength, Binomial(strength, w, h, Scratch<float>.Take(w * h)), transparent: false, paper);
    }

    /// <summary>
    /// Where any ink can be (left, top, right, bottom, inclusive; empty when right &lt; left): on a transparent image, the
    /// box around its pixels that are not fully transparent, whose ink is 0 everywhere else; on any other, the image.
    /// </summary>
    public (int Left, int Top, int Right, int Bottom) InkBox { get; private init; }

    // A pixel's alpha is the top byte of its packed value (R, G, B, A in memory, read little-endian).
    private const uint AlphaBits = 0xFF000000;

    /// <summary>
    /// Counts of each alpha value. Eight pixels at a time are looked at together first: fully transparent (most of a
    /// drawing's canvas) or fully opaque (every pixel of a photo) eight are counted at once.
    /// </summary>
    private static long[] AlphaHistogram(Image<Rgba32> image)
    {
        var alpha = new long[256];
        image.ProcessPixelRows(rows =>
        {
            // Neighbouring pixels are mostly alike, so counting them into one histogram makes each count wait for the
            // last; even and odd columns count into two, added up before any count could overflow an int.
            Span<int> counts = stackalloc int[2 * 256];
            var bits = Vector256.Create(AlphaBits);
            var rowsPerFlush = RowsPerFlush(rows.Width);
            for (var y = 0; y < rows.Height; y++)
            {
                if (y > 0 && y % rowsPerFlush == 0) Flush(counts, alpha);
                var row = MemoryMarshal.Cast<Rgba32, uint>(rows.GetRowSpan(y));
                long clear = 0, opaque = 0;
                var x = 0;
                for (; x + Vector256<uint>.Count <= row.Length; x += Vector256<uint>.Count)
                {
                    var a = Vector256.Create<uint>(row.Slice(x, Vector256<uint>.Count)) & bits;
                    if (a == Vector256<uint>.Zero) clear += Vector256<uint>.Count;
                    else if (a == bits) opaque += Vector256<uint>.Count;
                    else
                        for (var k = x; k < x + Vector256<uint>.Count; k += 2)
                        {
                            counts[(int)(row[k] >> 24)]++;
                            counts[256 + (int)(row[k + 1] >> 24)]++;
                        }
                }
                for (; x < row.Length; x++) counts[(int)(row[x] >> 24)]++;
                alpha[0] += clear;
                alpha[255] += opaque;
            }
            Flush(counts, alpha);
        });
        return alpha;
    }

    private static int RowsPerFlush(int width) => Math.Max(1, (1 << 30) / Math.Max(1, width));

    private static void Flush(Span<int> counts, long[] histogram)
    {
        for (var v = 0; v < 256; v++) histogram[v] += counts[v] + counts[256 + v];
        counts.Clear();
    }

    private static long[] LuminanceHistogram(Image<Rgba32> image)
    {
        var luminance = new long[256];
        image.ProcessPixelRows(rows =>
        {
            // Two histograms, even and odd columns, as for the alpha.
            Span<int> counts = stackalloc int[2 * 256];
            var rowsPerFlush = RowsPerFlush(rows.Width);
            for (var y = 0; y < rows.Height; y++)
            {
                if (y > 0 && y % rowsPerFlush == 0) Flush(counts, luminance);
                var row = rows.GetRowSpan(y);
                var x = 0;
                for (; x + 1 < row.Length; x += 2)
                {
                    counts[Luminance(row[x])]++;
                    counts[256 + Luminance(row[x + 1])]++;
                }
                if (x < row.Length) counts[Luminance(row[x])]++;
            }
            Flush(counts, luminance);
        });
        return luminance;
    }

    /// <summary>Each pixel's opacity, and the box around the pixels that have any; fully transparent runs of eight are skipped (the array starts at 0).</summary>
    private static (float[] Opacity, (int Left, int Top, int Right, int Bottom) Box) Opacity(Image<Rgba32> image)
    {
        int w = image.Width, h = image.Height;
        var opacity = Scratch<float>.Take(w * h);
        int left = w, top = h, right = -1, bottom = -1;
        image.ProcessPixelRows(rows =>
        {
            var bits = Vector256.Create(AlphaBits);
            for (var y = 0; y < h; y++)
            {
                var row = MemoryMarshal.Cast<Rgba32, uint>(rows.GetRowSpan(y));
                var line = opacity.AsSpan(y * w, w);
                int first = w, last = -1;
                var x = 0;
                for (; x + Vector256<uint>.Count <= w; x += Vector256<uint>.Count)
                {
                    var a = Vector256.Create<uint>(row.Slice(x, Vector256<uint>.Count)) >>> 24;
                    var drawn = ~Vector256.Equals(a, Vector256<uint>.Zero);
                    if (drawn == Vector256<uint>.Zero) continue;
                    // a / 255f, as the table holds it (a transparent pixel's 0 is what the array already holds).
                    (Vector256.ConvertToSingle(a.AsInt32()) / 255f).CopyTo(line.Slice(x));
                    var lanes = drawn.ExtractMostSignificantBits();
                    first = Math.Min(first, x + BitOperations.TrailingZeroCount(lanes));
                    last = x + 31 - BitOperations.LeadingZeroCount(lanes);
                }
                for (; x < w; x++)
                {
                    var a = row[x] >> 24;
                    if (a == 0) continue;
                    line[x] = Opacities[a];
                    first = Math.Min(first, x);
                    last = x;
                }
                if (last < 0) continue;
                left = Math.Min(left, first); right = Math.Max(right, last);
                top = Math.Min(top, y); bottom = y;
            }
        });
        return (opacity, (left, top, right, bottom));
    }

    // An alpha value's opacity, a / 255f: a transparent image's ink strength.
    private static readonly float[] Opacities = [.. Enumerable.Range(0, 256).Select(a => a / 255f)];

    private static int Luminance(Rgba32 p) => (299 * p.R + 587 * p.G + 114 * p.B + 500) / 1000;

    /// <summary>The <paramref name="q"/> quantile (0..1 of the range) of a 256-bin histogram.</summary>
    private static double Percentile(long[] histogram, double q)
    {
        var total = histogram.Sum();
        var rank = (long)Math.Round(q * (total - 1));
        long seen = 0;
        for (var v = 0; v < histogram.Length; v++)
        {
            seen += histogram[v];
            if (seen > rank) return v / 255.0;
        }
        return 1;
    }

    /// <summary>
    /// Whether the ink is darker than the paper. Paper photographed or scanned reads light even in poor light and with
    /// half of it in shadow, so an image that is mostly light has dark ink; one that is mostly dark (a dark-theme
    /// screenshot, MNIST's own white on black) has light ink. In between (a dim photo of paper, a blackboard), ink is
    /// thin: whichever of the dark and the light thin features carries more contrast is the ink. Neither the median's
    /// outliers nor the border can say it there: half the page may be in a shadow, the desk may frame it.
    /// </summary>
    private static bool DarkInk(Image<Rgba32> image, long[] luminance)
    {
        var median = Percentile(luminance, 0.5);
        if (median >= LightImage) return true;
        if (median <= DarkImage) return false;
        int w = image.Width, h = image.Height;
        var cell = Math.Max(1, Math.Min(w, h) / 128);
        int gw = (w + cell - 1) / cell, gh = (h + cell - 1) / cell;
        var grid = new float[gw * gh];
        var column = CellGrid.Columns(w, cell);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < h; y++)
            {
                var row = rows.GetRowSpan(y);
                var cells = grid.AsSpan(y / cell * gw, gw);
                for (var x = 0; x < row.Length; x++) cells[column[x]] += Luminance(row[x]);
            }
        });
        CellGrid.Mean(grid, w, h, cell, 255f);
        // Strokes up to a twelfth of the image wide; wider bright or dark regions are light and shadow, not ink.
        var radius = Math.Max(2, Math.Min(gw, gh) / 24);
        using var filters = GridFilters.Rent(grid.Length, Math.Max(gw, gh));
        var closed = new float[grid.Length];
        var opened = new float[grid.Length];
        filters.Closing(grid, closed, gw, gh, radius);
        filters.Opening(grid, opened, gw, gh, radius);
        double dark = 0, light = 0;
        for (var c = 0; c < grid.Length; c++)
        {
            dark += (closed[c] - grid[c]) * (closed[c] - grid[c]);
            light += (grid[c] - opened[c]) * (grid[c] - opened[c]);
        }
        return dark >= light;
    }

    /// <summary>
    /// The share of the local paper's light the ink takes: in luminance, raised up to what it takes in the channel it
    /// absorbs most (as a share of the paper's brightest channel), by at most a bound (<see cref="InkStrength"/>). The paper's
    /// brightness is estimated locally (<see cref="Paper"/>); its tint, which light and shadow do not change, once for the
    /// whole image (paper is most of it). Light ink on a dark ground is measured the same way, on the inverted image.
    /// </summary>
    private static (float[] Strength, (float[] Values, int Cell, int Columns) Paper) Darkness(Image<Rgba32> image, bool darkInk)
    {
        int w = image.Width, h = image.Height;
        var cell = Math.Max(1, (Math.Min(w, h) + GridCells - 1) / GridCells);
        int gw = (w + cell - 1) / cell, gh = (h + cell - 1) / cell;
        var radius = Math.Max(1, (int)Math.Round(ClosingShare * Math.Min(gw, gh) / 2));
        var flip = darkInk ? 0 : 255;
        var mean = new float[gw * gh];
        var column = CellGrid.Columns(w, cell);
        double sumR = 0, sumG = 0, sumB = 0, sumL = 0;
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < h; y++)
            {
                var row = rows.GetRowSpan(y);
                var cells = mean.AsSpan(y / cell * gw, gw);
                for (var x = 0; x < row.Length; x++)
                {
                    int r = Math.Abs(flip - row[x].R), g = Math.Abs(flip - row[x].G), b = Math.Abs(flip - row[x].B);
                    var l = 0.299f * r + 0.587f * g + 0.114f * b;
                    cells[column[x]] += l;
                    sumR += r; sumG += g; sumB += b; sumL += l;
                }
            }
        });
        CellGrid.Mean(mean, w, h, cell, 255f);
        var paper = Paper(mean, gw, gh, radius);
        // Each channel's share of the paper's luminance: what makes cream paper cream, the same in light and in shadow.
        float tintR = (float)(sumR / Math.Max(1, sumL)), tintG = (float)(sumG / Math.Max(1, sumL)), tintB = (float)(sumB / Math.Max(1, sumL));
        var brightest = Math.Max(tintR, Math.Max(tintG, tintB));

        var strength = Scratch<float>.Take(w * h);
        // Where each column falls between the grid's cells, once for all rows.
        var columnFrom = new int[w];
        var columnTo = new int[w];
        var columnWeight = new float[w];
        var columnRest = new float[w];
        for (var x = 0; x < w; x++)
        {
            var gx = Math.Clamp((x + 0.5f) / cell - 0.5f, 0, gw - 1);
            columnFrom[x] = (int)gx;
            columnTo[x] = Math.Min(gw - 1, (int)gx + 1);
            columnWeight[x] = gx - (int)gx;
            columnRest[x] = 1 - columnWeight[x];
        }
        var ink = new InkStrength(tintR, tintG, tintB, brightest, flip);
        // The paper's grid rows above and below a pixel row, each interpolated across once: a grid row serves a cell's
        // rows, and a pixel's paper is then the same sum of products, in the same order, as it was read pixel by pixel.
        var above = new float[w];
        var below = new float[w];
        int aboveRow = -1, belowRow = -1;
        void Across(int gridRow, float[] line)
        {
            var cells = paper.AsSpan(gridRow * gw, gw);
            for (var x = 0; x < w; x++) line[x] = cells[columnFrom[x]] * columnRest[x] + cells[columnTo[x]] * columnWeight[x];
        }
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < h; y++)
            {
                var gy = Math.Clamp((y + 0.5f) / cell - 0.5f, 0, gh - 1);
                int y0 = (int)gy, y1 = Math.Min(gh - 1, y0 + 1);
                // Moving down a grid row, the row below becomes the one above: kept, not interpolated again.
                if (y0 != aboveRow && y0 == belowRow) (above, below, aboveRow, belowRow) = (below, above, belowRow, aboveRow);
                if (y0 != aboveRow) Across(aboveRow = y0, above);
                if (y1 != belowRow) Across(belowRow = y1, below);
                ink.Row(MemoryMarshal.Cast<Rgba32, uint>(rows.GetRowSpan(y)), above, below, gy - y0, strength.AsSpan(y * w, w));
            }
        });
        return (strength, (paper, cell, gw));
    }

    /// <summary>
    /// The paper's brightness on the grid of cell means of luminance: closed (max then min) over the window, then
    /// smoothed. Two closings, and the lower of them: a flat square one is exact at the hard edge of a large region (a
    /// shadow, the desk) but fills any thin dark sliver, such as the corners a vignette darkens; a rounded (paraboloid)
    /// one follows smooth light but fills beside a hard edge. Both fill every pen stroke.
    /// </summary>
    private static float[] Paper(float[] grid, int gw, int gh, int radius)
    {
        var pad = 2 * radius + 1;
        using var filters = GridFilters.Rent((gw + 2 * pad) * (gh + 2 * pad), Math.Max(gw, gh) + 2 * pad);
        // Smoothed first, so the maximum is the paper's, not its brightest noise.
        var smooth = Binomial(grid, gw, gh);
        // Closed as if the image went on beyond its border as its border does: a dark region running along the border
        // (the desk, a shadow, a vignetted corner) then continues outward, is wide, and stays paper however thin it is
        // inside the frame, while a stroke that merely reaches the border stays a thin stroke.
        int pw = gw + 2 * pad, ph = gh + 2 * pad;
        var padded = Scratch<float>.Take(pw * ph);
        for (var y = 0; y < ph; y++)
        {
            var row = smooth.AsSpan(Math.Clamp(y - pad, 0, gh - 1) * gw, gw);
            var line = padded.AsSpan(y * pw, pw);
            line[..pad].Fill(row[0]);
            row.CopyTo(line[pad..]);
            line[(pad + gw)..].Fill(row[^1]);
        }
        var k = ParaboloidDrop / ((double)radius * radius);
        var flat = Scratch<float>.Take(padded.Length);
        var rounded = Scratch<float>.Take(padded.Length);
        filters.Closing(padded, flat, pw, ph, radius);
        filters.ParabolicClosing(padded, rounded, pw, ph, k);
        var paper = new float[gw * gh];
        for (var y = 0; y < gh; y++)
        for (var x = 0; x < gw; x++)
        {
            var i = (y + pad) * pw + x + pad;
            paper[y * gw + x] = Math.Min(flat[i], rounded[i]);
        }
        Scratch<float>.Give(padded);
        Scratch<float>.Give(flat);
        Scratch<float>.Give(rounded);
        return Binomial(paper, gw, gh);
    }

    /// <summary>A 3×3 binomial (1 2 1) blur, edges clamped; the horizontal pass is kept for three rows at a time only.</summary>
    internal static float[] Binomial(float[] values, int w, int h, float[]? result = null)
    {
        result ??= new float[values.Length];
        var rows = new float[3 * w];
        void Horizontal(int y)
        {
            ReadOnlySpan<float> source = values.AsSpan(y * w, w);
            var row = rows.AsSpan(y % 3 * w, w);
            if (w == 1)
            {
                row[0] = 0.25f * source[0] + 0.5f * source[0] + 0.25f * source[0];
                return;
            }
            row[0] = 0.25f * source[0] + 0.5f * source[0] + 0.25f * source[1];
            Blur(source[..^2], source[1..^1], source[2..], row[1..^1]);
            row[^1] = 0.25f * source[^2] + 0.5f * source[^1] + 0.25f * source[^1];
        }
        Horizontal(0);
        if (h > 1) Horizontal(1);
        for (var y = 0; y < h; y++)
        {
            if (y + 1 < h && y >= 1) Horizontal(y + 1);
            int above = Math.Max(0, y - 1) % 3 * w, here = y % 3 * w, below = Math.Min(h - 1, y + 1) % 3 * w;
            Blur(rows.AsSpan(above, w), rows.AsSpan(here, w), rows.AsSpan(below, w), result.AsSpan(y * w, w));
        }
        return result;
    }

    /// <summary>¼·before + ½·at + ¼·after, cell by cell, in that order (eight at a time round as one at a time does).</summary>
    private static void Blur(ReadOnlySpan<float> before, ReadOnlySpan<float> at, ReadOnlySpan<float> after, Span<float> result)
    {
        var x = 0;
        for (; x + Vector256<float>.Count <= result.Length; x += Vector256<float>.Count)
            (0.25f * Vector256.Create(before.Slice(x, Vector256<float>.Count)) + 0.5f * Vector256.Create(at.Slice(x, Vector256<float>.Count))
                + 0.25f * Vector256.Create(after.Slice(x, Vector256<float>.Count))).CopyTo(result.Slice(x));
        for (; x < result.Length; x++) result[x] = 0.25f * before[x] + 0.5f * at[x] + 0.25f * after[x];
    }
}
