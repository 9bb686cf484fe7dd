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
/// Turns an uploaded PNG, JPEG, GIF, BMP or WebP (still or animated: the first frame) of any size, depth or alpha
/// into a <see cref="DigitImage"/> the way a person reads it and MNIST itself was made: turned upright as its EXIF
/// orientation says, the ink told from the paper under it (<see cref="InkMap"/>), the paper's own lines and specks
/// left out and the digit's strokes kept (<see cref="DigitInk"/>), then cropped, fitted in 20×20 and centred by
/// centre of mass in 28×28 (<see cref="DigitCentring"/>), with warnings where the answer may be doubtful. Limits are
/// checked on the header before decoding, and the decoder itself is held to a memory and time budget, since a
/// header can lie.
/// </summary>
public sealed class DigitPreprocessor(ImageLimits? limits = null)
{
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

        var orientation = ExifOrientation.Read(format, data);
        var bytes = (format == WebpFormat.Instance ? AnimatedWebp.FirstFrame(data) : null) ?? data.ToArray();
        if (PreDecodeScan.Problem(format, bytes) is { } problem)
            throw new ImageRejectedException(ImageRejection.NotAnImage, $"The {format.Name} file is damaged: {problem}");

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

        InkMap map;
        double sourcePixelsPerPixel;
        using (var image = Decode(bytes, format, configuration))
        {
            sourcePixelsPerPixel = Math.Max(1, Math.Max(image.Width, image.Height) / (double)WorkingSide);
            if (Math.Max(image.Width, image.Height) > WorkingSide)
                Guard(format, () => image.Mutate(x => x.Resize(new ResizeOptions { Size = new Size(WorkingSide), Mode = ResizeMode.Max })));
            Guard(format, () => ExifOrientation.Apply(image, orientation));
            map = InkMap.Measure(image);
        }
        DigitInk digit;
        using (map) digit = DigitInk.Find(map);
        return new DigitImage(DigitCentring.Centre(StrokeWidth.Normalise(digit.Values, digit.Width, digit.Height), digit.Width, digit.Height), format.Name, info.Width, info.Height)
        {
            DecodePeakBytes = allocator.PeakBytes,
            Warnings = UploadWarnings.For(digit, map.Width, map.Height, sourcePixelsPerPixel),
        };
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

    private static Configuration CreateSupportedConfiguration()
    {
        var configuration = new Configuration(
            new PngConfigurationModule(), new JpegConfigurationModule(), new GifConfigurationModule(),
            new BmpConfigurationModule(), new WebpConfigurationModule());
        // Text, EXIF, XMP and ICC chunks can inflate a thousandfold or claim gigabytes; a digit needs none of them
        // (the one EXIF tag it does need, the orientation, is read by ExifOrientation without them).
        var formats = configuration.ImageFormatsManager;
        formats.SetDecoder(PngFormat.Instance, new PngDecoder { IgnoreMetadata = true });
        formats.SetDecoder(JpegFormat.Instance, new JpegDecoder { IgnoreMetadata = true });
        formats.SetDecoder(WebpFormat.Instance, new WebpDecoder { IgnoreMetadata = true });
        // An animated GIF is classified by its first frame; decoding the rest would only cost memory.
        formats.SetDecoder(GifFormat.Instance, new GifDecoder { DecodingMode = FrameDecodingMode.First, IgnoreMetadata = true });
        return configuration;
    }
}
