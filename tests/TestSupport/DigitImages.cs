using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace MnistEvents.TestSupport;

/// <summary>Real MNIST digits redrawn the way uploads arrive: scaled up, on a canvas, in either polarity, encoded in a format.</summary>
public static class DigitImages
{
    /// <summary>The digit scaled by <paramref name="scale"/>, its top-left at (x, y) on a canvas of the given size.</summary>
    public static Image<Rgba32> Render(ReadOnlySpan<byte> digit, int scale = 4, bool darkOnLight = false,
        int canvasWidth = 0, int canvasHeight = 0, int x = 0, int y = 0, bool transparentBackground = false)
    {
        using var small = new Image<Rgba32>(28, 28);
        for (var row = 0; row < 28; row++)
        for (var col = 0; col < 28; col++)
        {
            var ink = digit[row * 28 + col];
            small[col, row] = transparentBackground
                ? new Rgba32(0, 0, 0, ink)
                : darkOnLight ? new Rgba32((byte)(255 - ink), (byte)(255 - ink), (byte)(255 - ink), 255) : new Rgba32(ink, ink, ink, 255);
        }
        var scaled = small.Clone(c => c.Resize(28 * scale, 28 * scale, KnownResamplers.Bicubic));
        if (canvasWidth == 0) return scaled;

        var background = transparentBackground ? new Rgba32(0, 0, 0, 0) : darkOnLight ? new Rgba32(255, 255, 255, 255) : new Rgba32(0, 0, 0, 255);
        var canvas = new Image<Rgba32>(canvasWidth, canvasHeight, background);
        canvas.Mutate(c => c.DrawImage(scaled, new Point(x, y), 1f));
        scaled.Dispose();
        return canvas;
    }

    public static byte[] Encode(Image image, IImageEncoder encoder)
    {
        using var stream = new MemoryStream();
        image.Save(stream, encoder);
        return stream.ToArray();
    }

    /// <summary>Pearson correlation of two 28×28 images: 1 for the same digit in the same place.</summary>
    public static double Correlation(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        double meanA = 0, meanB = 0;
        for (var i = 0; i < a.Length; i++) { meanA += a[i]; meanB += b[i]; }
        meanA /= a.Length; meanB /= b.Length;
        double cov = 0, varA = 0, varB = 0;
        for (var i = 0; i < a.Length; i++)
        {
            double da = a[i] - meanA, db = b[i] - meanB;
            cov += da * db; varA += da * da; varB += db * db;
        }
        return cov / Math.Sqrt(varA * varB);
    }

    /// <summary>In pixel indices, as MNIST computed it (its digits average (14, 14)).</summary>
    public static (double X, double Y) CentreOfMass(ReadOnlySpan<byte> pixels)
    {
        double mass = 0, x = 0, y = 0;
        for (var i = 0; i < pixels.Length; i++)
        {
            mass += pixels[i]; x += pixels[i] * (i % 28); y += pixels[i] * (i / 28);
        }
        return (x / mass, y / mass);
    }
}
