namespace MnistEvents.Imaging;

/// <summary>A row-major mask seen with "along" one direction and "across" the other, so one routine serves rows and columns alike.</summary>
internal readonly record struct MaskPlane(bool[] Ink, int Width, int Height, bool Transposed)
{
    public int Along => Transposed ? Height : Width;

    public int Across => Transposed ? Width : Height;

    public bool this[int u, int v]
    {
        get => Ink[Transposed ? u * Width + v : v * Width + u];
        set => Ink[Transposed ? u * Width + v : v * Width + u] = value;
    }

    /// <summary>
    /// Every set pixel in a run across no longer than <paramref name="thickest"/>, as along × 65536 + across (both
    /// sides are under 65,536): what a line could be made of; a broad region (the desk, a filled blob) is not.
    /// </summary>
    public int[] ThinPixels(int thickest)
    {
        var pixels = new List<int>();
        for (var u = 0; u < Along; u++)
        for (var v = 0; v < Across;)
        {
            if (!this[u, v]) { v++; continue; }
            var end = v;
            while (end + 1 < Across && this[u, end + 1]) end++;
            if (end - v + 1 <= thickest)
                for (var k = v; k <= end; k++) pixels.Add(u << 16 | k);
            v = end + 1;
        }
        return [.. pixels];
    }
}
