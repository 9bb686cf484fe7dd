namespace MnistEvents.Model.Evaluation;

/// <summary>A rectangle of a rendered scene, right and bottom exclusive.</summary>
internal readonly record struct Box(int Left, int Top, int Right, int Bottom)
{
    public int Width => Right - Left;

    public int Height => Bottom - Top;
}
