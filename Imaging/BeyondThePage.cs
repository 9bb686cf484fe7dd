namespace MnistEvents.Imaging;

/// <summary>
/// What lies beyond the page in a photo of one: the desk, a hand, the page's shadow on the table. Too narrow a strip
/// to count as paper when the paper is estimated, it reads as ink, but it is nothing a person wrote: a broad region
/// running along a good part of one side of the image. Found on a coarse grid of mean ink strength, so the desk's own
/// grain (which breaks it into crumbs at full resolution) cannot hide it.
/// </summary>
internal static class BeyondThePage
{
    private const int GridCells = 64;

    // A region running along this share of one side of the image is beyond the page; writing never does.
    private const double SideShare = 0.4;

    // The share of the ink's level the desk reaches on average.
    private const float DeskShare = 0.5f;

    // Beside a straight edge of the page's, a strip this share of the image wide is looked at on either side.
    private const double EdgeStrip = 0.05;

    // At most this share of the image lies past a page's edge.
    private const double MaxDeskShare = 0.4;

    /// <summary>
    /// Per pixel, whether it lies in such a region, or past one of the paper's <paramref name="lines"/> that is the page's
    /// edge; <paramref name="level"/> is the ink strength that counts. The lines (set in <paramref name="mask"/>, gone
    /// from <paramref name="unlined"/>) are left out of the regions: a grid's are a network touching every side.
    /// </summary>
    public static bool[] Find(InkMap map, float level, bool[] mask, bool[] unlined, IReadOnlyList<PaperLine> lines)
    {
        int w = map.Width, h = map.Height;
        var cell = Math.Max(2, Math.Min(w, h) / GridCells);
        int gw = (w + cell - 1) / cell, gh = (h + cell - 1) / cell;
        var mean = new float[gw * gh];
        var column = CellGrid.Columns(w, cell);
        for (var y = 0; y < h; y++)
        {
            var cells = mean.AsSpan(y / cell * gw, gw);
            var row = y * w;
            for (var x = 0; x < w; x++)
            {
                if (mask[row + x] && !unlined[row + x]) continue;
                cells[column[x]] += map.Smooth[row + x];
            }
        }
        CellGrid.Mean(mean, w, h, cell, 1f);
        // The desk is seen through a paper estimate that partly follows it, so on average it reaches only part of the
        // ink's level; each cell with its neighbours, as the desk's grain leaves single cells below it.
        var threshold = map.Background + DeskShare * (level - map.Background);
        var dark = new bool[gw * gh];
        for (var cy = 0; cy < gh; cy++)
        for (var cx = 0; cx < gw; cx++)
        {
            float sum = 0;
            var n = 0;
            for (var ny = Math.Max(0, cy - 1); ny <= Math.Min(gh - 1, cy + 1); ny++)
            for (var nx = Math.Max(0, cx - 1); nx <= Math.Min(gw - 1, cx + 1); nx++) { sum += mean[ny * gw + nx]; n++; }
            dark[cy * gw + cx] = sum / n >= threshold;
        }
        // What runs along a side is broad: its cells there have dark neighbours all round (the image's edge counts as
        // dark), which a thin stroke's or a line's smear does not.
        bool Broad(int cx, int cy)
        {
            for (var ny = cy - 1; ny <= cy + 1; ny++)
            for (var nx = cx - 1; nx <= cx + 1; nx++)
                if (nx >= 0 && nx < gw && ny >= 0 && ny < gh && !dark[ny * gw + nx]) return false;
            return true;
        }

        var beyondCells = new bool[gw * gh];
        var seen = new bool[gw * gh];
        var region = new List<int>();
        for (var start = 0; start < dark.Length; start++)
        {
            if (!dark[start] || seen[start]) continue;
            region.Clear();
            var stack = new Stack<int>();
            stack.Push(start);
            seen[start] = true;
            int west = 0, east = 0, north = 0, south = 0;
            while (stack.Count > 0)
            {
                var c = stack.Pop();
                region.Add(c);
                int cx = c % gw, cy = c / gw;
                if (Broad(cx, cy))
                {
                    if (cx == 0) west++;
                    if (cx == gw - 1) east++;
                    if (cy == 0) north++;
                    if (cy == gh - 1) south++;
                }
                foreach (var n in (ReadOnlySpan<int>)[cx > 0 ? c - 1 : -1, cx < gw - 1 ? c + 1 : -1, cy > 0 ? c - gw : -1, cy < gh - 1 ? c + gw : -1])
                {
                    if (n < 0 || !dark[n] || seen[n]) continue;
                    seen[n] = true;
                    stack.Push(n);
                }
            }
            if (Math.Max(west, east) >= SideShare * gh || Math.Max(north, south) >= SideShare * gw)
                foreach (var c in region) beyondCells[c] = true;
        }

        var beyond = new bool[w * h];
        for (var y = 0; y < h; y++)
        {
            var cells = beyondCells.AsSpan(y / cell * gw, gw);
            var line = beyond.AsSpan(y * w, w);
            for (var cx = cells.IndexOf(true); cx >= 0 && cx < gw; cx++)
                if (cells[cx]) line[(cx * cell)..Math.Min(w, (cx + 1) * cell)].Fill(true);
        }
        foreach (var line in lines) PastEdge(map, threshold, line, beyond);
        return beyond;
    }

    /// <summary>
    /// Marks all that lies past <paramref name="line"/> when it is the page's edge: beside it, one side reads as ink
    /// throughout (the desk's grain, the page's shadow on the desk), the other as paper. A rule has paper on both sides
    /// and a digit's stroke beside it covers too little of its length to move a median.
    /// </summary>
    private static void PastEdge(InkMap map, float threshold, PaperLine line, bool[] beyond)
    {
        var plane = new MaskPlane(beyond, map.Width, map.Height, line.Transposed);
        (int Low, int High) Past(int u, bool after)
        {
            var lift = u * line.Slope;
            var (low, high) = after ? ((int)Math.Ceiling(line.To + lift) + 1, plane.Across - 1) : (0, (int)Math.Floor(line.From + lift) - 1);
            return (Math.Max(0, low), Math.Min(plane.Across - 1, high));
        }
        // A photo of a page is mostly the page: past a line that leaves most of the image behind lies the desk's far
        // side, and a rule across the middle of the page has no side small enough to be the desk (nor is read).
        bool Small(bool after)
        {
            long area = 0;
            for (var u = 0; u < plane.Along; u++) area += Math.Max(0, Past(u, after).High - Past(u, after).Low + 1);
            return area <= MaxDeskShare * plane.Along * plane.Across;
        }
        bool smallAfter = Small(after: true), smallBefore = Small(after: false);
        if (!smallAfter && !smallBefore) return;

        var strip = Math.Max(3, (int)(EdgeStrip * plane.Across));
        // The edge's own blur and the paper estimate's lag at it are left out.
        var gap = line.To - line.From + 3;
        var (before, beforeLight) = StripMedians(map, plane, line.Slope, line.From - gap - strip, line.From - gap);
        var (after, afterLight) = StripMedians(map, plane, line.Slope, line.To + gap, line.To + gap + strip);
        var paper = map.Background + 0.5f * (threshold - map.Background);
        // And the desk is darker than the page: the far side of the band of grain beside an edge has paper on one side
        // and ink-like grain on the other too, the wrong way round.
        bool desk;
        if (after >= threshold && before <= paper && afterLight < beforeLight) desk = true;
        else if (before >= threshold && after <= paper && beforeLight < afterLight) desk = false;
        else return;
        if (!(desk ? smallAfter : smallBefore)) return;
        for (var u = 0; u < plane.Along; u++)
        {
            var (low, high) = Past(u, desk);
            for (var v = low; v <= high; v++) plane[u, v] = true;
        }
    }

    /// <summary>
    /// The median ink strength and the median paper brightness in the band <paramref name="from"/>..<paramref name="to"/>
    /// (offsets across, moving by the slope along); NaN when less than a pixel of it, on average, lies inside the image.
    /// </summary>
    private static (float Strength, float Paper) StripMedians(InkMap map, MaskPlane plane, double slope, int from, int to)
    {
        var values = new List<float>();
        var light = new List<float>();
        for (var u = 0; u < plane.Along; u++)
        {
            var lift = u * slope;
            for (var v = Math.Max(0, (int)Math.Round(from + lift)); v < Math.Min(plane.Across, (int)Math.Round(to + lift)); v++)
            {
                var (x, y) = plane.Transposed ? (v, u) : (u, v);
                values.Add(map.Smooth[y * map.Width + x]);
                light.Add(map.PaperAt(x, y));
            }
        }
        if (values.Count < plane.Along) return (float.NaN, float.NaN);
        values.Sort();
        light.Sort();
        return (values[values.Count / 2], light[light.Count / 2]);
    }
}
