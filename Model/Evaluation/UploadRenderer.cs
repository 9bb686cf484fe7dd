using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace MnistEvents.Model.Evaluation;

/// <summary>
/// Redraws a 28×28 MNIST digit as an upload file in one of the <see cref="UploadStyle"/>s, with the placement,
/// size and noise drawn from <paramref name="random"/> so a seeded set is the same every time.
/// </summary>
public static class UploadRenderer
{
    public static byte[] Render(ReadOnlySpan<byte> digit, UploadStyle style, Random random) => style switch
    {
        UploadStyle.Canvas => Canvas(digit, random),
        UploadStyle.PaperPhoto => PaperPhoto(digit, random),
        UploadStyle.OffCentre => OffCentre(digit, random),
        UploadStyle.Jpeg => Jpeg(digit, random),
        _ => throw new ArgumentOutOfRangeException(nameof(style), style, "unknown upload style"),
    };

    private static byte[] Canvas(ReadOnlySpan<byte> digit, Random random)
    {
        // A pen lays uniform ink: the digit's shape, thresholded after upscaling, with antialiased edges, in the
        // page's ink colour (dark in the light theme, light in the dark one) on the canvas's transparent background.
        using var shape = Scaled(digit, 10);
        shape.Mutate(c => c.GaussianBlur(1.5f));
        var light = random.Next(2) == 0;
        using var canvas = new Image<Rgba32>(280, 280, new Rgba32(0, 0, 0, 0));
        var threshold = 90 + random.Next(60);
        for (var y = 0; y < 280; y++)
        for (var x = 0; x < 280; x++)
        {
            var ink = shape[x, y].PackedValue;
            var alpha = Math.Clamp((ink - threshold) * 6 + 128, 0, 255);
            if (alpha == 0) continue;
            canvas[x, y] = light ? new Rgba32(230, 230, 230, (byte)alpha) : new Rgba32(20, 20, 30, (byte)alpha);
        }
        return Encode(canvas, new PngEncoder());
    }

    private static byte[] PaperPhoto(ReadOnlySpan<byte> digit, Random random)
    {
        const int width = 400, height = 300;
        var scale = 6 + random.Next(4);
        using var shape = Scaled(digit, scale);
        var left = random.Next(40, width - shape.Width - 40);
        var top = random.Next(20, height - shape.Height - 20);
        // Paper lit from one side, ink that is dark but not black, and per-pixel sensor noise.
        var paper = 170 + random.Next(60);
        var ink = 30 + random.Next(50);
        var gradient = (random.NextDouble() - 0.5) * 60;
        using var photo = new Image<Rgb24>(width, height);
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
        {
            var background = paper + gradient * (x / (double)width - 0.5) * 2;
            var coverage = x >= left && x < left + shape.Width && y >= top && y < top + shape.Height
                ? shape[x - left, y - top].PackedValue / 255.0
                : 0;
            var value = background + (ink - background) * coverage + (random.NextDouble() - 0.5) * 24;
            var grey = (byte)Math.Clamp(value, 0, 255);
            photo[x, y] = new Rgb24(grey, grey, (byte)Math.Clamp(value - 8, 0, 255));
        }
        photo.Mutate(c => c.GaussianBlur(0.8f));
        return Encode(photo, new JpegEncoder { Quality = 80 });
    }

    private static byte[] OffCentre(ReadOnlySpan<byte> digit, Random random)
    {
        const int width = 640, height = 360;
        var scale = 2 + random.Next(3);
        using var shape = Scaled(digit, scale);
        using var screen = new Image<Rgba32>(width, height, Color.White);
        // Near a corner: far enough from the middle that centring has real work to do.
        var left = random.Next(2) == 0 ? random.Next(4, 80) : width - shape.Width - random.Next(4, 80);
        var top = random.Next(2) == 0 ? random.Next(4, 40) : height - shape.Height - random.Next(4, 40);
        DrawDark(screen, shape, left, top);
        return Encode(screen, new PngEncoder());
    }

    private static byte[] Jpeg(ReadOnlySpan<byte> digit, Random random)
    {
        using var shape = Scaled(digit, 3 + random.Next(4));
        using var scan = new Image<Rgba32>(shape.Width + 20, shape.Height + 20, Color.White);
        DrawDark(scan, shape, 10, 10);
        return Encode(scan, new JpegEncoder { Quality = 25 + random.Next(25) });
    }

    private static Image<L8> Scaled(ReadOnlySpan<byte> digit, int scale)
    {
        var image = Image.LoadPixelData<L8>(digit, 28, 28);
        image.Mutate(c => c.Resize(28 * scale, 28 * scale, KnownResamplers.Bicubic));
        return image;
    }

    private static void DrawDark(Image<Rgba32> target, Image<L8> shape, int left, int top)
    {
        for (var y = 0; y < shape.Height; y++)
        for (var x = 0; x < shape.Width; x++)
        {
            var value = (byte)(255 - shape[x, y].PackedValue);
            target[left + x, top + y] = new Rgba32(value, value, value, 255);
        }
    }

    private static byte[] Encode(Image image, IImageEncoder encoder)
    {
        using var stream = new MemoryStream();
        image.Save(stream, encoder);
        return stream.ToArray();
    }
}
