namespace MnistEvents.Imaging;

/// <summary>
/// The paper's own straight lines: ruled and squared lines, margin lines, the seam a page edge or a hard shadow's edge
/// leaves. Found as thin bands of ink that run straight (at any angle: rows and columns each take the angles within
/// 45° of them) across most of the image — very long ones alone, shorter ones when several run parallel, as rules
/// do — and removed the way optical
/// music recognition removes staff lines: only where the ink across the band is no thicker than the band itself, so a
/// stroke of the digit that crosses a rule keeps its pixels.
/// </summary>
internal static class PaperLines
{
    private const double MaxDegrees = 45;

    // A band covering this share of its length is a line on its own; a shorter one only beside two others.
    private const double AloneCoverage = 0.8;
    private const double FamilyCoverage = 0.5;

    // Rules are thin: where more of the image than this is ink, there are none to find (and projecting it would cost).
    private const double MaxInkShare = 0.25;

    // Looks for lines at a further angle, per direction, while the last found some.
    private const int MaxLooks = 4;

    /// <summary>Clears the lines' pixels from <paramref name="ink"/> (row-major, <paramref name="width"/> wide); returns the lines found.</summary>
    public static List<PaperLine> Remove(bool[] ink, int width, int height)
    {
        var found = new List<PaperLine>();
        if (ink.Count(set => set) > MaxInkShare * ink.Length) return found;
        foreach (var transposed in (ReadOnlySpan<bool>)[false, true])
        {
            // A page photographed at a slant has rules at several angles: each look takes those at the best one left.
            var plane = new MaskPlane(ink, width, height, transposed);
            for (var look = 0; look < MaxLooks && RemoveFamily(plane, found) > 0; look++) { }
        }
        return found;
    }

    /// <returns>How many lines it removed.</returns>
    private static int RemoveFamily(MaskPlane plane, List<PaperLine> found)
    {
        if (plane.Along < 16 || plane.Across < 4) return 0;
        var thickest = Math.Max(4, plane.Across / 25);
        var pixels = plane.ThinPixels(thickest + 3);
        var slope = BestSlope(plane, pixels);
        var histogram = Project(plane, pixels, slope, out var shift);
        var bands = new List<(int From, int To, double Coverage)>();
        for (var o = 0; o < histogram.Length; o++)
        {
            // A band is at least half the image long, so fewer pixels than 0.3 of that rule it out before its length is counted.
            if (histogram[o] < 0.3 * (plane.Along / 2)) continue;
            var length = Length(plane, slope, o - shift);
            if (length < plane.Along / 2 || histogram[o] < 0.3 * length) continue;
            var from = o;
            while (o + 1 < histogram.Length && histogram[o + 1] >= 0.3 * Length(plane, slope, o + 1 - shift)) o++;
            var thickness = o - from + 1;
            if (thickness > thickest) continue;
            bands.Add((from - shift, o - shift, Coverage(plane, slope, from - shift, o - shift) / (double)length));
        }
        var family = bands.Count(b => b.Coverage >= FamilyCoverage) >= 3;
        var lines = bands.Where(b => b.Coverage >= AloneCoverage || (family && b.Coverage >= FamilyCoverage)).ToList();
        foreach (var (from, to, _) in lines)
        {
            Erase(plane, slope, from, to);
            found.Add(new PaperLine(plane.Transposed, slope, from, to));
        }
        return lines.Count;
    }

    /// <summary>The slope at which the ink's projection is most sharply peaked: rules then fall into single bins.</summary>
    private static double BestSlope(MaskPlane plane, int[] pixels)
    {
        // A hundred projections of the same pixels: taken as runs across (ThinPixels gives them along by along, each run
        // in order), into one histogram wide enough for any slope tried (the fine search reaches 45.75°).
        var runs = Runs(pixels);
        var histogram = new int[plane.Across + 2 * Reach(plane, Slope(MaxDegrees + 1))];
        double Score(double degrees)
        {
            var slope = Slope(degrees);
            var shift = Reach(plane, slope);
            var bins = histogram.AsSpan(0, plane.Across + 2 * shift);
            // Only the bins the pixels reach are summed, then cleared for the next slope: the rest are zero.
            int low = bins.Length, high = -1;
            foreach (var (along, first, length) in runs)
            {
                var lift = along * slope;
                var offset = first - lift;
                var bin = (int)Math.Round(offset) + shift;
                // (A bin either side too: the pixel-by-pixel rounding below may land one away.)
                low = Math.Min(low, bin - 1);
                high = Math.Max(high, bin + length);
                // A run's pixels fall in consecutive bins, as each lies one further across: the offsets differ by whole
                // numbers, so they round alike, unless the fraction is so near a half that the subtraction's last bit
                // could tip one of them (then each is rounded as the pixel-by-pixel projection rounds it).
                if (length == 1 || Math.Abs(offset - Math.Floor(offset) - 0.5) > 1e-6)
                    for (var k = 0; k < length; k++) bins[bin + k]++;
                else
                    for (var k = 0; k < length; k++) bins[(int)Math.Round(first + k - lift) + shift]++;
            }
            // Summed as integers: exact, as the doubles' sum of these counts is (far below 2^53).
            long sum = 0;
            if (high < low) return sum;
            var touched = bins[Math.Max(0, low)..Math.Min(bins.Length, high + 1)];
            foreach (var h in touched) sum += (long)h * h;
            touched.Clear();
            return sum;
        }
        var best = 0.0;
        var bestScore = Score(0);
        for (var degrees = -MaxDegrees; degrees <= MaxDegrees; degrees += 1)
        {
            // 0° was the first tried.
            if (degrees == 0) continue;
            var score = Score(degrees);
            if (score > bestScore) (best, bestScore) = (degrees, score);
        }
        var coarse = best;
        for (var degrees = coarse - 0.75; degrees <= coarse + 0.75; degrees += 0.25)
        {
            var score = Score(degrees);
            if (score > bestScore) (best, bestScore) = (degrees, score);
        }
        return Slope(best);
    }

    // The search's angles are quarter degrees up to 45.75° either way: their tangents, once.
    private const int QuartersEachWay = (int)(MaxDegrees + 1) * 4;

    private static readonly double[] Tangents =
        [.. Enumerable.Range(-QuartersEachWay, 2 * QuartersEachWay + 1).Select(quarters => Math.Tan(quarters / 4.0 * Math.PI / 180))];

    /// <summary>The tangent of <paramref name="degrees"/> (a whole number of quarter degrees within the search's reach), as <see cref="Math.Tan"/> gives it.</summary>
    private static double Slope(double degrees) => Tangents[(int)(degrees * 4) + QuartersEachWay];

    /// <summary>Pixels (along × 65536 + across, as <see cref="MaskPlane.ThinPixels"/> gives them) as runs of consecutive ones across.</summary>
    private static List<(int Along, int First, int Length)> Runs(int[] pixels)
    {
        var runs = new List<(int Along, int First, int Length)>();
        for (var i = 0; i < pixels.Length; i++)
        {
            int along = pixels[i] >> 16, across = pixels[i] & 0xFFFF;
            if (runs.Count > 0 && runs[^1] is var last && last.Along == along && last.First + last.Length == across) runs[^1] = last with { Length = last.Length + 1 };
            else runs.Add((along, across, 1));
        }
        return runs;
    }

    /// <summary>Ink pixels per offset o = across − along × slope; bin o + <paramref name="shift"/> holds offset o.</summary>
    private static int[] Project(MaskPlane plane, int[] pixels, double slope, out int shift)
    {
        shift = Reach(plane, slope);
        var histogram = new int[plane.Across + 2 * shift];
        foreach (var p in pixels) histogram[(int)Math.Round((p & 0xFFFF) - (p >> 16) * slope) + shift]++;
        return histogram;
    }

    /// <summary>How far across a line at <paramref name="slope"/> moves from one end of the image to the other, and a bin more.</summary>
    private static int Reach(MaskPlane plane, double slope) => (int)Math.Ceiling(Math.Abs(slope) * plane.Along) + 1;

    /// <summary>How many positions along the image the line at offset <paramref name="o"/> spends inside it.</summary>
    private static int Length(MaskPlane plane, double slope, int o)
    {
        var count = 0;
        for (var u = 0; u < plane.Along; u++)
        {
            var v = o + u * slope;
            if (v >= 0 && v < plane.Across) count++;
        }
        return count;
    }

    /// <summary>Positions along the band from..to (one pixel of slack each side) where it holds ink.</summary>
    private static int Coverage(MaskPlane plane, double slope, int from, int to)
    {
        var covered = 0;
        for (var u = 0; u < plane.Along; u++)
        {
            var lift = u * slope;
            for (var v = Math.Max(0, (int)Math.Floor(from + lift) - 1); v <= Math.Min(plane.Across - 1, (int)Math.Ceiling(to + lift) + 1); v++)
            {
                if (!plane[u, v]) continue;
                covered++;
                break;
            }
        }
        return covered;
    }

    /// <summary>At each position along the band, clears every run of ink across it that is no thicker than the band (a stroke crossing it is thicker).</summary>
    private static void Erase(MaskPlane plane, double slope, int from, int to)
    {
        var thickness = to - from + 1;
        for (var u = 0; u < plane.Along; u++)
        {
            var lift = u * slope;
            var low = Math.Max(0, (int)Math.Floor(from + lift) - 1);
            var high = Math.Min(plane.Across - 1, (int)Math.Ceiling(to + lift) + 1);
            for (var v = low; v <= high; v++)
            {
                if (!plane[u, v]) continue;
                int start = v, end = v;
                while (start > 0 && plane[u, start - 1]) start--;
                while (end + 1 < plane.Across && plane[u, end + 1]) end++;
                if (end - start + 1 <= thickness + 3)
                    for (var k = start; k <= end; k++) plane[u, k] = false;
                v = end;
            }
        }
    }
}
