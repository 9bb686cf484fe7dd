namespace MnistEvents.Imaging;

/// <summary>The MNIST training set's mean and standard deviation, which every network here expects its input scaled by.</summary>
public static class MnistNormalization
{
    public const float Mean = 0.1307f;
    public const float Std = 0.3081f;

    public static float Normalize(byte pixel) => (pixel / 255f - Mean) / Std;

    public static void Normalize(ReadOnlySpan<byte> pixels, Span<float> destination)
    {
        if (destination.Length < pixels.Length) throw new ArgumentException("destination is shorter than the pixels", nameof(destination));
        for (var i = 0; i < pixels.Length; i++) destination[i] = Normalize(pixels[i]);
    }
}
