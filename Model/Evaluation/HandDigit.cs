using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace MnistEvents.Model.Evaluation;

/// <summary>A 28×28 MNIST digit as a hand would put it on paper: its shape at a chosen size, drawn with one of several pens, turned a little.</summary>
public static class HandDigit
{
    /// <summary>
    /// Ink coverage (0..255) of the digit, its 20-pixel MNIST box scaled to <paramref name="height"/> pixels, drawn with
    /// <paramref name="pen"/> and turned by <paramref name="degrees"/>; the image is a little larger than the digit.
    /// </summary>
    public static Image<L8> Coverage(ReadOnlySpan<byte> digit, int height, PenStroke pen, double degrees, Random random)
    {
        var scale = Math.Max(0.5, height / 20.0);
        var side = Math.Max(8, (int)Math.Round(28 * scale));
        var image = Image.LoadPixelData<L8>(digit, 28, 28);
        image.Mutate(c => c.Resize(side, side, KnownResamplers.Bicubic));
        if (pen != PenStroke.Soft)
        {
            // A smooth upscaled shape, cut at a level: lower levels give wider strokes. The edge stays ~1.5 px wide at any size.
            if (scale > 2) image.Mutate(c => c.GaussianBlur((float)(scale * 0.15)));
            var level = pen switch
            {
                PenStroke.Marker => 40 + random.Next(40),
                PenStroke.Fine => 160 + random.Next(30),
                _ => 100 + random.Next(50),
            };
            var steepness = Math.Clamp(scale, 2, 12);
            var values = Pixels(image);
            for (var i = 0; i < values.Length; i++)
                values[i] = (byte)Math.Clamp((values[i] - level) * steepness + 128, 0, 255);
            if (pen == PenStroke.Marker) values = Dilate(values, side, side, Math.Max(1, (int)Math.Round(scale * 0.3)));
            image.Dispose();
            image = Image.LoadPixelData<L8>(values, side, side);
        }
        if (Math.Abs(degrees) > 0.01) image.Mutate(c => c.Rotate((float)degrees));
        return image;
    }

    private static byte[] Pixels(Image<L8> image)
    {
        var pixels = new byte[image.Width * image.Height];
        image.CopyPixelDataTo(pixels);
        return pixels;
    }

    private static byte[] Dilate(byte[] values, int width, int height, int radius)
    {
        var rows = new byte[values.Length];
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
        {
            byte max = 0;
            for (var dx = Math.Max(0, x - radius); dx <= Math.Min(width - 1, x + radius); dx++) max = Math.Max(max, values[y * width + dx]);
            rows[y * width + x] = max;
        }
        var result = new byte[values.Length];
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
        {
            byte max = 0;
            for (var dy = Math.Max(0, y - radius); dy <= Math.Min(height - 1, y + radius); dy++) max = Math.Max(max, rows[dy * width + x]);
            result[y * width + x] = max;
        }
        return result;
    }
}
