namespace MnistEvents.Imaging;

/// <summary>
/// Cells of <c>cell</c>×<c>cell</c> pixels over a <c>w</c>×<c>h</c> image, the last row and column of them cut short by
/// its edge: the coarse grids the paper, the ink's light and the desk are judged on.
/// </summary>
internal static class CellGrid
{
    /// <summary>Each column's cell, once for all rows: a division per pixel cost more than the pass that needed it.</summary>
    public static int[] Columns(int w, int cell)
    {
        var columns = new int[w];
        for (var x = 0; x < w; x++) columns[x] = x / cell;
        return columns;
    }

    /// <summary>Each cell's sum divided by <paramref name="scale"/> times its pixels, counted from the cell's bounds.</summary>
    public static void Mean(Span<float> sums, int w, int h, int cell, float scale)
    {
        int gw = (w + cell - 1) / cell, gh = (h + cell - 1) / cell;
        for (var cy = 0; cy < gh; cy++)
        for (var cx = 0; cx < gw; cx++)
            sums[cy * gw + cx] /= scale * ((Math.Min(h, (cy + 1) * cell) - cy * cell) * (Math.Min(w, (cx + 1) * cell) - cx * cell));
    }
}
