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

    /// <summary>Every set pixel as along × 65536 + across (both sides are under 65,536), counted first so the array is allocated once.</summary>
    public int[] Pixels()
    {
        var pixels = new int[Ink.Count(set => set)];
        var n = 0;
        for (var i = 0; i < Ink.Length; i++)
        {
            if (!Ink[i]) continue;
            int x = i % Width, y = i / Width;
            pixels[n++] = Transposed ? y << 16 | x : x << 16 | y;
        }
        return pixels;
    }
}
