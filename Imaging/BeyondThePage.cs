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

    /// <summary>Per pixel, whether it lies in such a region; <paramref name="level"/> is the ink strength that counts, on average.</summary>
    public static bool[] Find(InkMap map, float level)
    {
        int w = map.Width, h = map.Height;
        var cell = Math.Max(2, Math.Min(w, h) / GridCells);
        int gw = (w + cell - 1) / cell, gh = (h + cell - 1) / cell;
        var mean = new float[gw * gh];
        var count = new int[gw * gh];
        for (var y = 0; y < h; y++)
        for (var x = 0; x < w; x++)
        {
            var c = y / cell * gw + x / cell;
            mean[c] += map.Smooth[y * w + x];
            count[c]++;
        }
        for (var c = 0; c < mean.Length; c++) mean[c] /= count[c];
        // Each cell with its neighbours: the desk's grain leaves single cells below the level that would cut it in two.
        var dark = new bool[gw * gh];
        for (var cy = 0; cy < gh; cy++)
        for (var cx = 0; cx < gw; cx++)
        {
            float sum = 0;
            var n = 0;
            for (var ny = Math.Max(0, cy - 1); ny <= Math.Min(gh - 1, cy + 1); ny++)
            for (var nx = Math.Max(0, cx - 1); nx <= Math.Min(gw - 1, cx + 1); nx++) { sum += mean[ny * gw + nx]; n++; }
            dark[cy * gw + cx] = sum / n >= level;
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
                if (cx == 0) west++;
                if (cx == gw - 1) east++;
                if (cy == 0) north++;
                if (cy == gh - 1) south++;
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
        for (var x = 0; x < w; x++)
            beyond[y * w + x] = beyondCells[y / cell * gw + x / cell];
        return beyond;
    }
}
