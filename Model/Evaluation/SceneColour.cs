namespace MnistEvents.Model.Evaluation;

/// <summary>A colour in a <see cref="PaperScene"/>, channels 0..1.</summary>
public readonly record struct SceneColour(float R, float G, float B)
{
    public static SceneColour From(int r, int g, int b) => new(r / 255f, g / 255f, b / 255f);
}
