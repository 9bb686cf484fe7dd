using MnistEvents.Model.Evaluation;
using SixLabors.ImageSharp;

namespace MnistEvents.TestSupport;

/// <summary>Photos of real MNIST test digits written on paper, with exactly the size, ink and place a test asks for.</summary>
public static class Photos
{
    public static readonly SceneColour Black = SceneColour.From(25, 25, 30);

    /// <summary>
    /// Test digit <paramref name="index"/> written <paramref name="digitHeight"/> px tall in <paramref name="ink"/> at
    /// (<paramref name="left"/>, <paramref name="top"/>) (centred when negative) on white paper, photographed with a
    /// little noise, as a JPEG.
    /// </summary>
    public static byte[] Digit(int index, int width, int height, int digitHeight, SceneColour ink, float opacity = 1, float noise = 0.01f,
        int left = -1, int top = -1, int seed = 1)
    {
        var scene = Page(width, height);
        Write(scene, index, digitHeight, ink, opacity, left, top, seed);
        return Photograph(scene, noise, seed);
    }

    public static PaperScene Page(int width, int height) => new(width, height, SceneColour.From(240, 240, 236));

    /// <summary>Writes test digit <paramref name="index"/> on the page, centred when <paramref name="left"/> or <paramref name="top"/> is negative.</summary>
    public static void Write(PaperScene scene, int index, int digitHeight, SceneColour ink, float opacity = 1, int left = -1, int top = -1, int seed = 1)
    {
        using var coverage = HandDigit.Coverage(TestData.Test.Image(index), digitHeight, PenStroke.Ballpoint, 0, new Random(seed));
        scene.Ink(coverage, left < 0 ? (scene.Width - coverage.Width) / 2 : left, top < 0 ? (scene.Height - coverage.Height) / 2 : top, ink, opacity);
    }

    public static byte[] Photograph(PaperScene scene, float noise = 0.01f, int seed = 1)
    {
        scene.Noise(new Random(seed), noise, 0.3f);
        using var image = scene.ToImage(0.6f);
        return UploadFiles.Jpeg(image, 90);
    }
}
