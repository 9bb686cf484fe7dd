namespace MnistEvents.Imaging;

/// <summary>
/// The digit's own ink in an <see cref="InkMap"/>: <see cref="Values"/> 0..1 per pixel of its box (left, top, right,
/// bottom in the map, inclusive), 0 where it is not the digit's. Ink is what is strong enough to stand out
/// of the paper's noise (hysteresis: pieces reaching a high threshold, grown over a low one), with the paper's lines
/// removed (<see cref="PaperLines"/>), and only the pieces that make the digit (<see cref="InkComponents"/>).
/// </summary>
internal sealed record DigitInk(float[] Values, int Left, int Top, int Right, int Bottom, float Contrast, float SignalToNoise, int OtherMarks)
{
    // A pixel of the digit's pieces is its stroke when at least this share as strong as the digit's typical stroke.
    private const float StrokeShare = 0.35f;

    // A digit whose typical stroke is weaker than this share of the image's strongest ink is looked at again on its own;
    // a digit's typical stroke is about this share of its strongest.
    private const float WeakerDigit = 0.6f;
    private const float TypicalCore = 0.85f;

    public int Width => Right - Left + 1;

    public int Height => Bottom - Top + 1;

    public static DigitInk Find(InkMap map)
    {
        var rise = map.Peak - map.Background;
        if (rise < Math.Max(0.1f, 4 * map.Noise))
            throw new ImageRejectedException(ImageRejection.NoDigit, "No digit found: the image is blank or too faint.");
        var first = Find(map, rise, (0, 0, map.Width - 1, map.Height - 1), anchor: null);
        // The strongest ink in the image was not the digit's (the desk's edge, a dark mark): its strokes were measured
        // against a standard they do not reach, and weaker parts of them may be missing. Look again, around it only,
        // against its own strength.
        if (first.Contrast >= WeakerDigit * rise) return first;
        var margin = Math.Max(first.Width, first.Height) / 2;
        var around = (Math.Max(0, first.Left - margin), Math.Max(0, first.Top - margin), Math.Min(map.Width - 1, first.Right + margin), Math.Min(map.Height - 1, first.Bottom + margin));
        return Find(map, first.Contrast / TypicalCore, around, anchor: (first.Left, first.Top, first.Right, first.Bottom));
    }

    /// <param name="anchor">When looking again: where the digit was found, which its main piece must touch.</param>
    private static DigitInk Find(InkMap map, float rise, (int Left, int Top, int Right, int Bottom) region, (int Left, int Top, int Right, int Bottom)? anchor)
    {
        // Relative to the strongest ink, so faint lines, texture and shadow edges fall below; never inside the noise.
        var seed = map.Background + Math.Max(0.45f * rise, 5 * map.Noise);
        var grow = map.Background + Math.Max(0.2f * rise, 3 * map.Noise);
        if (seed >= map.Background + rise) seed = map.Background + 0.8f * rise;
        if (grow >= seed) grow = map.Background + 0.5f * (seed - map.Background);

        // Per pixel, never inside the local noise (the desk's grain is rougher than the page).
        var mask = new bool[map.Smooth.Length];
        var seeded = new bool[map.Smooth.Length];
        for (var y = region.Top; y <= region.Bottom; y++)
        for (var x = region.Left; x <= region.Right; x++)
        {
            var i = y * map.Width + x;
            var value = map.Smooth[i];
            if (value < grow) continue;
            var noise = map.NoiseAt(x, y);
            mask[i] = value >= map.Background + 3 * noise;
            seeded[i] = value >= Math.Max(seed, map.Background + 5 * noise);
        }
        // A transparent image has no paper, so nothing of the paper's to remove.
        var unlined = map.Transparent ? mask : (bool[])mask.Clone();
        var lines = map.Transparent ? new List<PaperLine>() : PaperLines.Remove(unlined, map.Width, map.Height);
        var beyond = map.Transparent ? new bool[mask.Length] : BeyondThePage.Find(map, grow, mask, unlined, lines);
        var components = InkComponents.Find(lines.Count > 0 ? unlined : mask, map.Smooth, seeded, beyond, map.Width, map.Height, !map.Transparent);
        var digit = components.Digit(anchor);
        if (digit is null && lines.Count > 0)
        {
            // Lines that were all the ink there was were the digit (a 1 filling the frame is straight and long).
            components = InkComponents.Find(mask, map.Smooth, seeded, beyond, map.Width, map.Height, !map.Transparent);
            digit = components.Digit(anchor);
        }
        if (digit is null) throw new ImageRejectedException(ImageRejection.NoDigit, "No digit found: the image is blank or too faint.");

        // The digit's strokes are as strong as its strongest part: what its pieces took in that is much weaker (a shadow's
        // edge, light falling off, a halo of JPEG noise) merely touched them.
        var (isDigit, (pieceLeft, pieceTop, pieceRight, pieceBottom), otherMarks) = digit.Value;
        var labels = components.Labels;
        var strong = new List<float>();
        for (var y = pieceTop; y <= pieceBottom; y++)
        for (var x = pieceLeft; x <= pieceRight; x++)
        {
            var i = y * map.Width + x;
            if (seeded[i] && isDigit[labels[i]]) strong.Add(map.Smooth[i]);
        }
        // At least the seeds themselves (all at or above it) stay, so the digit is never left empty.
        var core = Histogram.Percentile(strong.ToArray(), 0.5f);
        var keep = Math.Max(grow, map.Background + StrokeShare * (core - map.Background));

        int left = map.Width, top = map.Height, right = -1, bottom = -1;
        var inDigit = new bool[mask.Length];
        for (var y = pieceTop; y <= pieceBottom; y++)
        for (var x = pieceLeft; x <= pieceRight; x++)
        {
            var i = y * map.Width + x;
            if (map.Smooth[i] < keep || !isDigit[labels[i]]) continue;
            inDigit[i] = true;
            left = Math.Min(left, x); right = Math.Max(right, x);
            top = Math.Min(top, y); bottom = Math.Max(bottom, y);
        }
        var floor = map.Background + 2 * map.Noise;
        if (core <= floor) core = floor + 0.05f;

        // The digit's pixels, and a ring around them so the strokes keep their antialiased edges: a pixel or so of the
        // image per 30 of the digit's size, as wide as a soft edge is at that size.
        var ring = Math.Max(1, (int)Math.Round(Math.Max(right - left + 1, bottom - top + 1) / 30.0));
        (left, top, right, bottom) = (Math.Max(0, left - ring), Math.Max(0, top - ring), Math.Min(map.Width - 1, right + ring), Math.Min(map.Height - 1, bottom + ring));
        int boxWidth = right - left + 1, boxHeight = bottom - top + 1;
        var near = Dilate(inDigit, map.Width, left, top, boxWidth, boxHeight, ring);
        var values = new float[boxWidth * boxHeight];
        var scale = 1 / (core - floor);
        for (var y = 0; y < boxHeight; y++)
        for (var x = 0; x < boxWidth; x++)
            if (near[y * boxWidth + x]) values[y * boxWidth + x] = Math.Clamp((map.Strength[(top + y) * map.Width + left + x] - floor) * scale, 0, 1);
        return new DigitInk(values, left, top, right, bottom, core - map.Background, (core - map.Background) / map.Noise, otherMarks);
    }

    /// <summary>
    /// The set, within the box, grown by <paramref name="radius"/> (a square), as a box-sized mask; rows, then columns,
    /// each by a running count of set pixels in the window, so the cost does not grow with the radius. The columns' counts
    /// are kept side by side and moved down row by row, so both passes read the mask in the order it lies in memory.
    /// </summary>
    private static bool[] Dilate(bool[] set, int width, int left, int top, int boxWidth, int boxHeight, int radius)
    {
        var rows = new bool[boxWidth * boxHeight];
        for (var y = 0; y < boxHeight; y++)
        {
            var line = set.AsSpan((top + y) * width + left, boxWidth);
            var grownLine = rows.AsSpan(y * boxWidth, boxWidth);
            var inWindow = 0;
            for (var x = 0; x < Math.Min(radius, boxWidth); x++) if (line[x]) inWindow++;
            for (var x = 0; x < boxWidth; x++)
            {
                if (x + radius < boxWidth && line[x + radius]) inWindow++;
                if (x - radius - 1 >= 0 && line[x - radius - 1]) inWindow--;
                grownLine[x] = inWindow > 0;
            }
        }
        var grown = new bool[boxWidth * boxHeight];
        var counts = new int[boxWidth];
        for (var y = 0; y < Math.Min(radius, boxHeight); y++)
        {
            var line = rows.AsSpan(y * boxWidth, boxWidth);
            for (var x = 0; x < boxWidth; x++) if (line[x]) counts[x]++;
        }
        for (var y = 0; y < boxHeight; y++)
        {
            if (y + radius < boxHeight)
            {
                var entering = rows.AsSpan((y + radius) * boxWidth, boxWidth);
                for (var x = 0; x < boxWidth; x++) if (entering[x]) counts[x]++;
            }
            if (y - radius - 1 >= 0)
            {
                var leaving = rows.AsSpan((y - radius - 1) * boxWidth, boxWidth);
                for (var x = 0; x < boxWidth; x++) if (leaving[x]) counts[x]--;
            }
            var grownLine = grown.AsSpan(y * boxWidth, boxWidth);
            for (var x = 0; x < boxWidth; x++) grownLine[x] = counts[x] > 0;
        }
        return grown;
    }
}
