using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace MnistEvents.Imaging;

/// <summary>
/// Turns an uploaded PNG, JPEG, GIF, BMP or WebP of any size, depth or alpha into a <see cref="DigitImage"/>
/// the way MNIST itself was made: find the ink (whichever of light or dark it is, or the opaque part of a
/// transparent image), crop to it, fit it in 20×20 keeping the aspect ratio, and centre it by centre of mass
/// in 28×28. Limits are checked on the header before decoding, and the decoder itself is held to a memory and
/// time budget, since a header can lie.
/// </summary>
public sealed class DigitPreprocessor(ImageLimits? limits = null)
{
    private const int Box = 20;
    private const int WorkingSide = 1024;

    private static readonly Configuration Supported = CreateSupportedConfiguration();

    public ImageLimits Limits { get; } = limits ?? ImageLimits.Default;

    public static IReadOnlyList<string> SupportedMediaTypes { get; } =
        Supported.ImageFormats.SelectMany(f => f.MimeTypes).Distinct().ToArray();

    public DigitImage Preprocess(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) throw new ImageRejectedException(ImageRejection.Empty, "The file is empty.");
        if (data.Length > Limits.MaxBytes)
            throw new ImageRejectedException(ImageRejection.TooManyBytes,
                $"The file is {data.Length:N0} bytes; the limit is {Limits.MaxBytes:N0}.");

        var format = Image.DetectFormat(Supported, data)
            ?? throw (Image.DetectFormat(data) is { } other
                ? new ImageRejectedException(ImageRejection.UnsupportedFormat,
                    $"{other.Name} images are not supported; send PNG, JPEG, GIF, BMP or WebP.")
                : new ImageRejectedException(ImageRejection.NotAnImage,
                    "The file is not an image (PNG, JPEG, GIF, BMP or WebP expected)."));

        if (PreDecodeScan.Problem(format, data) is { } problem)
            throw new ImageRejectedException(ImageRejection.NotAnImage, $"The {format.Name} file is damaged: {problem}");

        var bytes = data.ToArray();
        var allocator = new BudgetedAllocator(MemoryAllocator.Default, Limits.MaxDecodeBytes);
        var configuration = Supported.Clone();
        configuration.MemoryAllocator = allocator;
        // One image is one thread's work: the gateway decodes many at once, and the budget is per image.
        configuration.MaxDegreeOfParallelism = 1;

        var info = Identify(bytes, format, configuration);
        var pixels = (long)info.Width * info.Height;
        if (pixels > Limits.MaxPixels)
            throw new ImageRejectedException(ImageRejection.TooManyPixels,
                $"The image is {info.Width}×{info.Height} ({pixels:N0} pixels); the limit is {Limits.MaxPixels:N0} pixels.");
        if (info.Width < 1 || info.Height < 1)
            throw new ImageRejectedException(ImageRejection.NotAnImage, $"The {format.Name} image has no pixels.");

        float[] ink;
        int width, height;
        using (var image = Decode(bytes, format, configuration))
        {
            if (Math.Max(image.Width, image.Height) > WorkingSide)
                Guard(format, () => image.Mutate(x => x.Resize(new ResizeOptions { Size = new Size(WorkingSide), Mode = ResizeMode.Max })));
            ink = InkMap(image, out width, out height);
        }
        return new DigitImage(Centre(ink, width, height), format.Name, info.Width, info.Height) { DecodePeakBytes = allocator.PeakBytes };
    }

    private static IImageInfo Identify(byte[] bytes, IImageFormat format, Configuration configuration) => Guard(format, () =>
    {
        using var stream = new MemoryStream(bytes, writable: false);
        return Image.Identify(configuration, stream)
            ?? throw new ImageRejectedException(ImageRejection.NotAnImage, $"The {format.Name} file is damaged: its header cannot be read.");
    });

    private Image<Rgba32> Decode(byte[] bytes, IImageFormat format, Configuration configuration) => Guard(format, () =>
    {
        using var stream = new MemoryStream(bytes, writable: false);
        using var deadline = new CancellationTokenSource(Limits.MaxDecodeTime);
        try
        {
            return configuration.ImageFormatsManager.FindDecoder(format).Decode<Rgba32>(configuration, stream, deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new ImageRejectedException(ImageRejection.TooCostlyToDecode,
                $"The {format.Name} image takes longer than {Limits.MaxDecodeTime.TotalSeconds:0.#} s to decode; send a simpler image.");
        }
    });

    /// <summary>Runs a step of decoding, turning whatever a hostile or damaged file makes ImageSharp throw into a refusal.</summary>
    private static T Guard<T>(IImageFormat format, Func<T> step)
    {
        try
        {
            return step();
        }
        catch (Exception e) when (e is InvalidMemoryOperationException || e.InnerException is InvalidMemoryOperationException)
        {
            throw new ImageRejectedException(ImageRejection.TooCostlyToDecode,
                $"The {format.Name} image needs more memory to decode than an upload may use: {(e as InvalidMemoryOperationException ?? e.InnerException)!.Message}", e);
        }
        catch (Exception e) when (IsDecoderFailure(e))
        {
            throw new ImageRejectedException(ImageRejection.NotAnImage, $"The {format.Name} file is damaged: {e.Message}", e);
        }
    }

    private static void Guard(IImageFormat format, Action step) => Guard(format, () => { step(); return true; });

    // A damaged file can make ImageSharp's decoders fail in many ways (seen: NullReference, DivideByZero,
    // InvalidOperation, IndexOutOfRange); whatever it is, the file is what was wrong. Running out of memory is not.
    private static bool IsDecoderFailure(Exception e) => e is not (ImageRejectedException or OutOfMemoryException or OperationCanceledException);

    /// <summary>Ink strength 0..1 per pixel, with the background at 0.</summary>
    private static float[] InkMap(Image<Rgba32> image, out int width, out int height)
    {
        var w = width = image.Width;
        var h = height = image.Height;
        var luminance = new float[w * h];
        var alpha = new float[w * h];
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < h; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < w; x++)
                {
                    var p = row[x];
                    luminance[y * w + x] = (0.299f * p.R + 0.587f * p.G + 0.114f * p.B) / 255f;
                    alpha[y * w + x] = p.A / 255f;
                }
            }
        });

        float[] ink;
        if (alpha.Max() - alpha.Min() > 0.25f)
        {
            // Transparent background: what is drawn is what is opaque, whatever its colour.
            ink = alpha;
        }
        else
        {
            // Opaque: the background is what the border mostly is; ink is whatever differs from it.
            var darkOnLight = Median(Border(luminance, w, h)) > 0.5f;
            ink = darkOnLight ? luminance.Select(l => 1 - l).ToArray() : luminance;
        }

        var border = Border(ink, w, h);
        var background = Median(border);
        var noise = StandardDeviation(border);
        // The ink's peak, ignoring the brightest few pixels (a hot pixel, a speck): 0.1% of the image but never more than 16
        // pixels, or a small thin digit on a large screenshot (under 0.1% of it) would be 'too faint'.
        var peak = Percentile(ink, Math.Max(0.999f, 1f - 16f / ink.Length));
        if (peak - background < 0.15f)
            throw new ImageRejectedException(ImageRejection.NoDigit, "No digit found: the image is blank or too faint.");

        // Lift the floor above paper texture and uneven light so only strokes remain, then stretch to full range.
        var floor = background + Math.Max(0.1f * (peak - background), 3 * noise);
        if (floor >= peak) floor = background + 0.5f * (peak - background);
        var scale = 1f / (peak - floor);
        for (var i = 0; i < ink.Length; i++) ink[i] = Math.Clamp((ink[i] - floor) * scale, 0f, 1f);
        return ink;
    }

    /// <summary>Crop to the ink, fit in 20×20 keeping the aspect ratio, centre by centre of mass in 28×28.</summary>
    private static byte[] Centre(float[] ink, int width, int height)
    {
        int left = width, right = -1, top = height, bottom = -1;
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
        {
            if (ink[y * width + x] <= 0) continue;
            left = Math.Min(left, x); right = Math.Max(right, x);
            top = Math.Min(top, y); bottom = Math.Max(bottom, y);
        }
        if (right < 0) throw new ImageRejectedException(ImageRejection.NoDigit, "No digit found: the image is blank or too faint.");

        var cropWidth = right - left + 1;
        var cropHeight = bottom - top + 1;
        using var crop = new Image<L8>(cropWidth, cropHeight);
        crop.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < cropHeight; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < cropWidth; x++)
                    row[x] = new L8((byte)Math.Round(ink[(top + y) * width + left + x] * 255));
            }
        });

        var fit = (double)Box / Math.Max(cropWidth, cropHeight);
        var fitWidth = Math.Clamp((int)Math.Round(cropWidth * fit), 1, Box);
        var fitHeight = Math.Clamp((int)Math.Round(cropHeight * fit), 1, Box);
        crop.Mutate(x => x.Resize(fitWidth, fitHeight, KnownResamplers.Bicubic));

        var fitted = new float[fitWidth * fitHeight];
        crop.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < fitHeight; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < fitWidth; x++) fitted[y * fitWidth + x] = row[x].PackedValue;
            }
        });

        // MNIST put the centre of mass, in pixel indices, at (14, 14).
        // Thin strokes come out grey after a large reduction; MNIST's strokes peak at full white.
        var max = fitted.Max();
        double mass = 0, sumX = 0, sumY = 0;
        for (var y = 0; y < fitHeight; y++)
        for (var x = 0; x < fitWidth; x++)
        {
            var v = fitted[y * fitWidth + x];
            mass += v; sumX += v * x; sumY += v * y;
        }
        var offsetX = mass > 0 ? (int)Math.Round(DigitImage.Side / 2.0 - sumX / mass) : (DigitImage.Side - fitWidth) / 2;
        var offsetY = mass > 0 ? (int)Math.Round(DigitImage.Side / 2.0 - sumY / mass) : (DigitImage.Side - fitHeight) / 2;
        offsetX = Math.Clamp(offsetX, 0, DigitImage.Side - fitWidth);
        offsetY = Math.Clamp(offsetY, 0, DigitImage.Side - fitHeight);

        var result = new byte[DigitImage.PixelCount];
        var gain = max > 0 ? 255f / max : 0;
        for (var y = 0; y < fitHeight; y++)
        for (var x = 0; x < fitWidth; x++)
            result[(offsetY + y) * DigitImage.Side + offsetX + x] = (byte)Math.Clamp(Math.Round(fitted[y * fitWidth + x] * gain), 0, 255);
        return result;
    }

    private static float[] Border(float[] values, int width, int height)
    {
        var band = Math.Max(1, Math.Min(width, height) / 50);
        var border = new List<float>(2 * band * (width + height));
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
            if (x < band || y < band || x >= width - band || y >= height - band) border.Add(values[y * width + x]);
        return [.. border];
    }

    private static float Median(float[] values) => Percentile(values, 0.5f);

    // Values are in [0, 1]: a histogram finds a percentile in one pass, without sorting a megapixel array.
    private static float Percentile(float[] values, float q)
    {
        const int bins = 1024;
        Span<int> histogram = stackalloc int[bins + 1];
        foreach (var v in values) histogram[(int)(Math.Clamp(v, 0f, 1f) * bins)]++;
        var rank = (long)Math.Round(q * (values.Length - 1));
        long seen = 0;
        for (var b = 0; b <= bins; b++)
        {
            seen += histogram[b];
            if (seen > rank) return (float)b / bins;
        }
        return 1f;
    }

    private static float StandardDeviation(float[] values)
    {
        var mean = values.Average();
        return (float)Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
    }

    private static Configuration CreateSupportedConfiguration()
    {
        var configuration = new Configuration(
            new PngConfigurationModule(), new JpegConfigurationModule(), new GifConfigurationModule(),
            new BmpConfigurationModule(), new WebpConfigurationModule());
        // Text, EXIF, XMP and ICC chunks can inflate a thousandfold or claim gigabytes; a digit needs none of them.
        var formats = configuration.ImageFormatsManager;
        formats.SetDecoder(PngFormat.Instance, new PngDecoder { IgnoreMetadata = true });
        formats.SetDecoder(JpegFormat.Instance, new JpegDecoder { IgnoreMetadata = true });
        formats.SetDecoder(WebpFormat.Instance, new WebpDecoder { IgnoreMetadata = true });
        // An animated GIF is classified by its first frame; decoding the rest would only cost memory.
        formats.SetDecoder(GifFormat.Instance, new GifDecoder { DecodingMode = FrameDecodingMode.First, IgnoreMetadata = true });
        return configuration;
    }
}
