using MnistEvents.Model.Data;

namespace MnistEvents.TestSupport;

/// <summary>
/// Streams of real MNIST test digits as a model would see them after the live traffic changed, each family with its
/// parameters drawn from a seed: moved off the centre, drawn with a thick pen, or two digits over each other (which a
/// model answers unsurely). What a producer that bypasses the gateway's centring and pen normalisation sends (a tensor
/// as it is, a batch from another system), or a population of writers unlike MNIST's. 784 bytes per digit, end to end.
/// </summary>
public static class DriftedDigits
{
    private const int Side = MnistDataset.Side;

    /// <summary>Each digit moved 4 to 7 pixels along each axis, each way drawn at random; its ink may leave the frame.</summary>
    public static byte[] OffCentre(int count, int seed) => Make(count, seed, (_, image, random) =>
    {
        int Offset() => random.Next(4, 8) * (random.Next(2) == 0 ? -1 : 1);
        return Shift(image, Offset(), Offset());
    });

    /// <summary>Each digit's strokes widened by 1 or 2 pixels all round (a marker instead of MNIST's pens).</summary>
    public static byte[] ThickStrokes(int count, int seed) => Make(count, seed, (_, image, random) => Dilate(image, random.Next(1, 3)));

    /// <summary>Each digit drawn over another test digit of a different label, the second moved by up to 3 pixels: neither digit, and the model is unsure.</summary>
    public static byte[] Overlaid(int count, int seed) => Make(count, seed, (index, image, random) =>
    {
        var test = TestData.Test;
        int other;
        do other = random.Next(test.Count);
        while (test.Labels[other] == test.Labels[index]);
        var shifted = Shift(test.Image(other).ToArray(), random.Next(-3, 4), random.Next(-3, 4));
        for (var i = 0; i < image.Length; i++) image[i] = Math.Max(image[i], shifted[i]);
        return image;
    });

    /// <summary>Unchanged MNIST test digits, drawn at random: the stream a model trained on MNIST should find familiar.</summary>
    public static byte[] Plain(int count, int seed) => Make(count, seed, (_, image, _) => image);

    // The change gets the test digit's index, a copy of its pixels and the stream's random source.
    private static byte[] Make(int count, int seed, Func<int, byte[], Random, byte[]> change)
    {
        var random = new Random(seed);
        var test = TestData.Test;
        var digits = new byte[count * MnistDataset.Pixels];
        for (var i = 0; i < count; i++)
        {
            var index = random.Next(test.Count);
            change(index, test.Image(index).ToArray(), random).CopyTo(digits, i * MnistDataset.Pixels);
        }
        return digits;
    }

    private static byte[] Shift(byte[] image, int dx, int dy)
    {
        var moved = new byte[image.Length];
        for (var y = 0; y < Side; y++)
        for (var x = 0; x < Side; x++)
        {
            int fromX = x - dx, fromY = y - dy;
            if (fromX is >= 0 and < Side && fromY is >= 0 and < Side) moved[y * Side + x] = image[fromY * Side + fromX];
        }
        return moved;
    }

    private static byte[] Dilate(byte[] image, int radius)
    {
        var wide = new byte[image.Length];
        for (var y = 0; y < Side; y++)
        for (var x = 0; x < Side; x++)
        {
            byte max = 0;
            for (var v = Math.Max(0, y - radius); v <= Math.Min(Side - 1, y + radius); v++)
            for (var u = Math.Max(0, x - radius); u <= Math.Min(Side - 1, x + radius); u++)
                max = Math.Max(max, image[v * Side + u]);
            wide[y * Side + x] = max;
        }
        return wide;
    }
}
