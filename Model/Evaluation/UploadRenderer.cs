using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace MnistEvents.Model.Evaluation;

/// <summary>
/// Redraws a 28×28 MNIST digit as an upload file in one of the <see cref="UploadStyle"/>s. Every parameter a real
/// upload varies in (size, place, pen, ink colour, paper tint, rules and their spacing, light, shadow, noise, blur,
/// orientation tag, format and quality) is drawn from <paramref name="random"/>, so a seeded set is the same every
/// time and a family is judged on its spread, not on a handful of files.
/// </summary>
public static class UploadRenderer
{
    public static byte[] Render(ReadOnlySpan<byte> digit, UploadStyle style, Random random) => style switch
    {
        UploadStyle.Canvas => Canvas(digit, random),
        UploadStyle.PaperPhoto => PaperPhoto(digit, random),
        UploadStyle.OffCentre => OffCentre(digit, random),
        UploadStyle.Jpeg => Jpeg(digit, random),
        UploadStyle.SidewaysPhoto => SidewaysPhoto(digit, random),
        UploadStyle.RuledPaper => RuledPaper(digit, random),
        UploadStyle.GridPaper => GridPaper(digit, random),
        UploadStyle.ColouredPen => ColouredPen(digit, random),
        UploadStyle.DeskPhoto => DeskPhoto(digit, random),
        UploadStyle.LossyWebp => LossyWebp(digit, random),
        UploadStyle.AnimatedWebp => AnimatedWebp(digit, random),
        _ => throw new ArgumentOutOfRangeException(nameof(style), style, "unknown upload style"),
    };

    /// <summary>A phone photo of the digit on plain paper, <paramref name="width"/>×<paramref name="height"/>, upright; for sizes the styles do not cover (a 12-megapixel photo).</summary>
    public static Image<Rgb24> Photo(ReadOnlySpan<byte> digit, int width, int height, Random random)
    {
        var scene = new PaperScene(width, height, Paper(random));
        scene.Texture(random, 0.03f, Math.Max(8, width / 40));
        PutDigit(scene, digit, random, Between(random, 0.25, 0.55) * Math.Min(width, height), RandomPen(random), Ink(random, InkKinds.All), new Box(0, 0, width, height));
        return Photograph(scene, random, noise: (float)Between(random, 0.01, 0.03), blur: (float)Between(random, 0.4, 1.0) * Math.Max(1, width / 1000f));
    }

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
        return UploadFiles.Encode(canvas, new PngEncoder());
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
        return UploadFiles.Encode(photo, new JpegEncoder { Quality = 80 });
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
        return UploadFiles.Encode(screen, new PngEncoder());
    }

    private static byte[] Jpeg(ReadOnlySpan<byte> digit, Random random)
    {
        using var shape = Scaled(digit, 3 + random.Next(4));
        using var scan = new Image<Rgba32>(shape.Width + 20, shape.Height + 20, Color.White);
        DrawDark(scan, shape, 10, 10);
        return UploadFiles.Encode(scan, new JpegEncoder { Quality = 25 + random.Next(25) });
    }

    private static byte[] SidewaysPhoto(ReadOnlySpan<byte> digit, Random random)
    {
        // Phones store the sensor's pixels and say in EXIF how to turn them: 6 and 8 for a portrait shot, 3 upside down;
        // the mirrored 2, 4, 5 and 7 come from front cameras and editing apps.
        int[] orientations = [6, 6, 6, 8, 8, 8, 3, 3, 2, 4, 5, 7];
        var orientation = orientations[random.Next(orientations.Length)];
        var (width, height) = Size(random, 400, 800, 0.65, 0.85);
        if (random.Next(2) == 0) (width, height) = (height, width);
        var scene = new PaperScene(width, height, Paper(random));
        scene.Texture(random, 0.03f, Math.Max(8, width / 40));
        var tilt = Between(random, -2, 2);
        if (random.Next(3) == 0) Rules(scene, random, Between(random, 0.08, 0.14) * height, tilt, grid: false);
        PutDigit(scene, digit, random, Between(random, 0.25, 0.5) * Math.Min(width, height), RandomPen(random), Ink(random, InkKinds.All), new Box(0, 0, width, height), tilt);
        using var upright = Photograph(scene, random, noise: (float)Between(random, 0.008, 0.03), blur: (float)Between(random, 0.4, 1.0));
        using var stored = UploadFiles.StoredFor(upright, orientation);
        var file = random.Next(5) switch
        {
            < 3 => UploadFiles.Jpeg(stored, 70 + random.Next(23)),
            3 => UploadFiles.Png(stored),
            _ => UploadFiles.WebpLossy(stored, 70 + random.Next(21)),
        };
        return UploadFiles.WithOrientation(file, orientation, bigEndian: random.Next(2) == 0);
    }

    private static byte[] RuledPaper(ReadOnlySpan<byte> digit, Random random)
    {
        var (width, height) = Size(random, 400, 800, 0.65, 1.3);
        var scene = new PaperScene(width, height, Paper(random));
        scene.Texture(random, 0.025f, Math.Max(8, width / 40));
        var tilt = Between(random, -3, 3);
        var digitHeight = Between(random, 0.18, 0.42) * Math.Min(width, height);
        // School paper: the rule is about as far apart as a written digit is tall (a digit fits a line, or spans two).
        Rules(scene, random, Math.Max(12, Between(random, 0.45, 1.5) * digitHeight), tilt, grid: false);
        var page = new Box(0, 0, width, height);
        if (random.Next(5) < 3)
        {
            // The red margin: one or two vertical lines a fifth of the way in; the writing starts right of it.
            var margin = Between(random, 0.08, 0.25) * width;
            var red = SceneColour.From(215 + random.Next(30), 70 + random.Next(70), 80 + random.Next(70));
            var thickness = Between(random, 1, 2.5) * Math.Max(1, width / 600.0);
            scene.Rule(margin, 0, 90 + tilt, thickness, red, (float)Between(random, 0.6, 1));
            if (random.Next(3) == 0) scene.Rule(margin + Between(random, 3, 7), 0, 90 + tilt, thickness, red, (float)Between(random, 0.6, 1));
            if (random.Next(5) > 0) page = new Box((int)(margin + 8), 0, width, height);
        }
        PutDigit(scene, digit, random, digitHeight, RandomPen(random), Ink(random, InkKinds.All), page, tilt);
        using var photo = Photograph(scene, random, noise: (float)Between(random, 0.005, 0.03), blur: (float)Between(random, 0.3, 1.0));
        return UploadFiles.Jpeg(photo, 70 + random.Next(23));
    }

    private static byte[] GridPaper(ReadOnlySpan<byte> digit, Random random)
    {
        var (width, height) = Size(random, 400, 800, 0.65, 1.3);
        var scene = new PaperScene(width, height, Paper(random));
        scene.Texture(random, 0.025f, Math.Max(8, width / 40));
        var tilt = Between(random, -3, 3);
        var digitHeight = Between(random, 0.18, 0.42) * Math.Min(width, height);
        // Squared paper: a written digit is one to three squares tall.
        Rules(scene, random, Math.Max(8, Between(random, 0.33, 1.0) * digitHeight), tilt, grid: true);
        PutDigit(scene, digit, random, digitHeight, RandomPen(random), Ink(random, InkKinds.All), new Box(0, 0, width, height), tilt);
        using var photo = Photograph(scene, random, noise: (float)Between(random, 0.005, 0.03), blur: (float)Between(random, 0.3, 1.0));
        return UploadFiles.Jpeg(photo, 70 + random.Next(23));
    }

    private static byte[] ColouredPen(ReadOnlySpan<byte> digit, Random random)
    {
        // Small (about 300 px), so the sensor's noise is a pixel's worth, not averaged away by downscaling.
        var (width, height) = Size(random, 220, 380, 0.7, 1.35);
        var scene = new PaperScene(width, height, Paper(random));
        var pen = random.Next(3) == 0 ? PenStroke.Fine : PenStroke.Ballpoint;
        PutDigit(scene, digit, random, Between(random, 0.35, 0.7) * Math.Min(width, height), pen, Ink(random, InkKinds.Coloured), new Box(0, 0, width, height), Between(random, -3, 3));
        using var photo = Photograph(scene, random, noise: (float)Between(random, 0.025, 0.065), blur: (float)Between(random, 0, 0.7));
        return UploadFiles.Jpeg(photo, 55 + random.Next(36));
    }

    private static byte[] DeskPhoto(ReadOnlySpan<byte> digit, Random random)
    {
        // The page on a desk: its edge in view on one or two sides, tinted or recycled paper, a shadow, specks of dirt.
        var (width, height) = Size(random, 400, 800, 0.65, 1.3);
        var scene = new PaperScene(width, height, Paper(random, tinted: true));
        scene.Texture(random, (float)Between(random, 0.02, 0.06), Math.Max(6, width / 50));
        var tilt = Between(random, -5, 5);
        var page = new Box(0, 0, width, height);
        var sides = Enumerable.Range(0, 4).OrderBy(_ => random.Next()).Take(1 + random.Next(2)).ToList();
        var desk = random.Next(3) switch
        {
            0 => SceneColour.From(90 + random.Next(60), 55 + random.Next(40), 25 + random.Next(35)),
            1 => SceneColour.From(30 + random.Next(60), 30 + random.Next(60), 35 + random.Next(60)),
            _ => SceneColour.From(150 + random.Next(60), 150 + random.Next(60), 150 + random.Next(60)),
        };
        // People write inside the page, a little way from its edge (here at least 6% of the image in).
        int marginX = width * 6 / 100 + 6, marginY = height * 6 / 100 + 6;
        foreach (var side in sides)
        {
            var inset = Between(random, 0.04, 0.2);
            switch (side)
            {
                case 0: scene.Desk(inset * width, 0, 90 + tilt, width, height / 2.0, desk, random); page = page with { Left = (int)(inset * width) + marginX }; break;
                case 1: scene.Desk((1 - inset) * width, 0, 90 + tilt, 0, height / 2.0, desk, random); page = page with { Right = (int)((1 - inset) * width) - marginX }; break;
                case 2: scene.Desk(0, inset * height, tilt, width / 2.0, height, desk, random); page = page with { Top = (int)(inset * height) + marginY }; break;
                default: scene.Desk(0, (1 - inset) * height, tilt, width / 2.0, 0, desk, random); page = page with { Bottom = (int)((1 - inset) * height) - marginY }; break;
            }
        }
        var digitBox = PutDigit(scene, digit, random, Between(random, 0.22, 0.5) * Math.Min(page.Width, page.Height), RandomPen(random), Ink(random, InkKinds.All), page, tilt);
        for (int i = 0, specks = random.Next(12); i < specks; i++)
        {
            // Dirt and stray dots, away from the digit itself.
            double x = Between(random, page.Left, page.Right), y = Between(random, page.Top, page.Bottom);
            if (x > digitBox.Left - 10 && x < digitBox.Right + 10 && y > digitBox.Top - 10 && y < digitBox.Bottom + 10) continue;
            var grey = 40 + random.Next(100);
            scene.Speck(x, y, Between(random, 0.7, 2.5) * Math.Max(1, width / 700.0), SceneColour.From(grey, grey, grey), (float)Between(random, 0.4, 1));
        }
        scene.Light(random, (float)Between(random, 0.75, 1.05), (float)Between(random, 0, 0.25), (float)Between(random, 0, 0.25));
        if (random.Next(4) > 0)
            scene.Shadow(Between(random, 0, width), Between(random, 0, height), Between(random, 0, 360), (float)Between(random, 0.2, 0.5), Between(random, 3, 150));
        using var photo = Photograph(scene, random, noise: (float)Between(random, 0.008, 0.03), blur: (float)Between(random, 0.4, 1.0), light: false);
        return UploadFiles.Jpeg(photo, 70 + random.Next(23));
    }

    private static byte[] LossyWebp(ReadOnlySpan<byte> digit, Random random)
    {
        using var image = random.Next(2) == 0 ? Screen(digit, random) : SmallPhoto(digit, random);
        // Apps and browsers save at 75-90; 30 is as low as anyone goes, and below it WebP garbles the strokes themselves.
        return UploadFiles.WebpLossy(image, 30 + random.Next(61));
    }

    private static byte[] AnimatedWebp(ReadOnlySpan<byte> digit, Random random)
    {
        // A sticker or screen recording: the digit is the first frame; later frames move it, blank it, or invert it.
        using var first = random.Next(2) == 0 ? Screen(digit, random) : SmallPhoto(digit, random);
        var lossless = random.Next(3) == 0;
        byte[] Still(Image<Rgb24> frame) => lossless ? UploadFiles.WebpLossless(frame) : UploadFiles.WebpLossy(frame, 50 + random.Next(41));
        var frames = new List<byte[]> { Still(first) };
        for (int i = 0, more = 1 + random.Next(2); i < more; i++)
        {
            using var next = first.Clone(c =>
            {
                switch (random.Next(3))
                {
                    case 0: c.Invert(); break;
                    case 1: c.Flip(FlipMode.Horizontal); break;
                    default: c.Brightness(1.6f); break;
                }
            });
            frames.Add(Still(next));
        }
        return UploadFiles.AnimatedWebp(frames, first.Width, first.Height, 80 + random.Next(200));
    }

    /// <summary>A digit on a clean background, as a screenshot or a drawing app exports it.</summary>
    private static Image<Rgb24> Screen(ReadOnlySpan<byte> digit, Random random)
    {
        var (width, height) = Size(random, 160, 480, 0.6, 1.2);
        var dark = random.Next(4) == 0;
        var scene = new PaperScene(width, height, dark ? SceneColour.From(20 + random.Next(30), 20 + random.Next(30), 25 + random.Next(30)) : Paper(random));
        var ink = dark ? (SceneColour.From(215 + random.Next(40), 215 + random.Next(40), 215 + random.Next(40)), 1f) : Ink(random, InkKinds.All);
        PutDigit(scene, digit, random, Between(random, 0.3, 0.75) * Math.Min(width, height), RandomPen(random), ink, new Box(0, 0, width, height));
        return scene.ToImage(0);
    }

    private static Image<Rgb24> SmallPhoto(ReadOnlySpan<byte> digit, Random random)
    {
        var (width, height) = Size(random, 200, 480, 0.65, 1.3);
        var scene = new PaperScene(width, height, Paper(random));
        PutDigit(scene, digit, random, Between(random, 0.3, 0.65) * Math.Min(width, height), RandomPen(random), Ink(random, InkKinds.All), new Box(0, 0, width, height), Between(random, -4, 4));
        return Photograph(scene, random, noise: (float)Between(random, 0.008, 0.035), blur: (float)Between(random, 0.3, 0.9));
    }

    /// <summary>Printed rules across the whole page (and columns, for <paramref name="grid"/>), <paramref name="spacing"/> px apart, tilted with the page.</summary>
    private static void Rules(PaperScene scene, Random random, double spacing, double tilt, bool grid)
    {
        var colour = random.Next(4) switch
        {
            0 => SceneColour.From(120 + random.Next(60), 160 + random.Next(50), 200 + random.Next(50)),
            1 => SceneColour.From(150 + random.Next(50), 150 + random.Next(50), 150 + random.Next(50)),
            2 => SceneColour.From(130 + random.Next(60), 180 + random.Next(50), 150 + random.Next(50)),
            _ => SceneColour.From(90 + random.Next(60), 130 + random.Next(60), 200 + random.Next(50)),
        };
        var thickness = Between(random, 0.8, 2.5) * Math.Max(1, scene.Width / 700.0);
        var opacity = (float)Between(random, 0.45, 1);
        var bold = grid && random.Next(3) == 0 ? 5 : 0;
        var start = Between(random, 0, spacing);
        // Far enough past the corners that a tilted page is ruled to its edges.
        var reach = scene.Width + scene.Height;
        for (var (k, at) = (0, start - reach); at < reach; k++, at += spacing)
        {
            var heavier = bold > 0 && k % bold == 0 ? 1.8 : 1;
            scene.Rule(0, at, tilt, thickness * heavier, colour, opacity);
            if (grid) scene.Rule(at, 0, 90 + tilt, thickness * heavier, colour, opacity);
        }
    }

    /// <summary>Writes the digit <paramref name="height"/> px tall somewhere inside <paramref name="area"/>; returns where it went.</summary>
    private static Box PutDigit(PaperScene scene, ReadOnlySpan<byte> digit, Random random, double height, PenStroke pen, (SceneColour Colour, float Opacity) ink, Box area, double tilt = 0)
    {
        using var coverage = HandDigit.Coverage(digit, (int)Math.Round(height), pen, tilt + Between(random, -8, 8), random);
        var left = area.Left + random.Next(Math.Max(1, area.Width - coverage.Width));
        var top = area.Top + random.Next(Math.Max(1, area.Height - coverage.Height));
        scene.Ink(coverage, left, top, ink.Colour, ink.Opacity);
        return new Box(left, top, left + coverage.Width, top + coverage.Height);
    }

    /// <summary>The camera: light (unless already set), sensor noise, the lens's blur.</summary>
    private static Image<Rgb24> Photograph(PaperScene scene, Random random, float noise, float blur, bool light = true)
    {
        if (light) scene.Light(random, (float)Between(random, 0.8, 1.05), (float)Between(random, 0, 0.2), (float)Between(random, 0, 0.15));
        scene.Noise(random, noise, chroma: (float)Between(random, 0.2, 0.6));
        return scene.ToImage(blur);
    }

    private static SceneColour Paper(Random random, bool tinted = false)
    {
        if (!tinted || random.Next(3) == 0)
        {
            var white = 225 + random.Next(28);
            return SceneColour.From(white - random.Next(6), white - random.Next(6), white - random.Next(12));
        }
        return random.Next(4) switch
        {
            0 => SceneColour.From(245, 235 - random.Next(20), 200 - random.Next(40)), // cream, yellow
            1 => SceneColour.From(200 + random.Next(30), 198 + random.Next(30), 190 + random.Next(30)), // recycled grey
            2 => SceneColour.From(215 + random.Next(30), 225 + random.Next(25), 245), // pale blue
            _ => SceneColour.From(250, 215 + random.Next(25), 225 + random.Next(25)), // pink
        };
    }

    private static (SceneColour Colour, float Opacity) Ink(Random random, InkKinds kinds)
    {
        var kind = kinds == InkKinds.Coloured ? 1 + random.Next(3) : random.Next(6);
        return kind switch
        {
            1 => (SceneColour.From(20 + random.Next(40), 40 + random.Next(50), 130 + random.Next(80)), (float)Between(random, 0.85, 1)), // blue ballpoint
            2 => (SceneColour.From(170 + random.Next(50), 20 + random.Next(40), 30 + random.Next(40)), (float)Between(random, 0.85, 1)), // red
            3 => (SceneColour.From(20 + random.Next(40), 110 + random.Next(50), 50 + random.Next(50)), (float)Between(random, 0.85, 1)), // green
            4 => (SceneColour.From(70 + random.Next(40), 70 + random.Next(40), 75 + random.Next(40)), (float)Between(random, 0.6, 0.85)), // pencil
            _ => (SceneColour.From(20 + random.Next(40), 20 + random.Next(40), 25 + random.Next(40)), (float)Between(random, 0.85, 1)), // black
        };
    }

    private static PenStroke RandomPen(Random random) => random.Next(8) switch
    {
        0 => PenStroke.Soft,
        1 or 2 => PenStroke.Marker,
        3 => PenStroke.Fine,
        _ => PenStroke.Ballpoint,
    };

    private static (int Width, int Height) Size(Random random, int minWidth, int maxWidth, double minAspect, double maxAspect)
    {
        var width = minWidth + random.Next(maxWidth - minWidth + 1);
        return (width, (int)(width * Between(random, minAspect, maxAspect)));
    }

    private static double Between(Random random, double low, double high) => low + random.NextDouble() * (high - low);

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
}
