namespace MnistEvents.Imaging;

/// <summary>
/// One connected piece of ink: its label in the label map, size, summed ink, whether any of it is strong enough to
/// be ink for certain (a seed), bounding box (right and bottom inclusive), and how many of its pixels lie beyond the
/// page (<see cref="BeyondThePage"/>).
/// </summary>
internal sealed record InkComponent(int Label, int Pixels, float Mass, bool Seeded, int Left, int Top, int Right, int Bottom, int BeyondThePage)
{
    public int Width => Right - Left + 1;

    public int Height => Bottom - Top + 1;

    /// <summary>How many times longer than wide: its box's longer side squared over its pixels.</summary>
    public double Elongation => (double)Math.Max(Width, Height) * Math.Max(Width, Height) / Pixels;

    public bool TouchesBorder(int width, int height) => Left == 0 || Top == 0 || Right == width - 1 || Bottom == height - 1;

    public bool Touches(int left, int top, int right, int bottom) => Left <= right && Right >= left && Top <= bottom && Bottom >= top;
}
