namespace MnistEvents.Registry;

/// <summary>
/// What makes two corrections "the same image": the 28×28 input averaged over 2×2 blocks and cut at a third of full
/// ink, 196 bits. Two uploads of one drawing (or one drawing with a little noise added) meet here, whatever their
/// prediction ids; two different drawings almost never do.
/// </summary>
public static class ImageFingerprint
{
    private const int Threshold = 85 * 4;

    public static string Of(byte[] pixels)
    {
        if (pixels.Length != 784) throw new ArgumentException("a fingerprint takes 784 pixels", nameof(pixels));
        var bits = new byte[196 / 8 + 1];
        for (var y = 0; y < 14; y++)
        for (var x = 0; x < 14; x++)
        {
            var at = 2 * y * 28 + 2 * x;
            var sum = pixels[at] + pixels[at + 1] + pixels[at + 28] + pixels[at + 29];
            var bit = y * 14 + x;
            if (sum >= Threshold) bits[bit / 8] |= (byte)(1 << (bit % 8));
        }
        return Convert.ToHexString(bits);
    }
}
