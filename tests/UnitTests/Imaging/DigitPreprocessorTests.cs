using Xunit.Abstractions;
using MnistEvents.Imaging;
using MnistEvents.TestSupport;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace MnistEvents.UnitTests.Imaging;

/// <summary>Real MNIST test digits, redrawn as uploads, must come back close to MNIST's own 28×28 form.</summary>
public class DigitPreprocessorTests(ITestOutputHelper output)
{
    private static readonly DigitPreprocessor Preprocessor = new();

    public static TheoryData<string> Formats => ["png", "jpeg", "gif", "bmp", "webp"];

    private static IImageEncoder Encoder(string format) => format switch
    {
        "png" => new PngEncoder(),
        "jpeg" => new JpegEncoder { Quality = 90 },
        "gif" => new GifEncoder(),
        "bmp" => new BmpEncoder(),
        "webp" => new WebpEncoder(),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void EachFormatComesBackAsTheMnistDigit(string format)
    {
        for (var i = 0; i < 5; i++)
        {
            var digit = TestData.Test.Image(i);
            using var image = DigitImages.Render(digit, scale: 5);

            var result = Preprocessor.Preprocess(DigitImages.Encode(image, Encoder(format)));

            Assert.Equal(784, result.Pixels.Length);
            Assert.True(DigitImages.Correlation(digit, result.Pixels) > 0.85, $"{format} digit {i}: correlation {DigitImages.Correlation(digit, result.Pixels):0.00}");
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void DarkInkOnWhiteIsInvertedToMatchWhiteOnBlack(string format)
    {
        var digit = TestData.Test.Image(1);
        using var light = DigitImages.Render(digit, scale: 6, darkOnLight: true);
        using var dark = DigitImages.Render(digit, scale: 6);

        var fromLight = Preprocessor.Preprocess(DigitImages.Encode(light, Encoder(format)));
        var fromDark = Preprocessor.Preprocess(DigitImages.Encode(dark, Encoder(format)));

        Assert.True(DigitImages.Correlation(fromDark.Pixels, fromLight.Pixels) > 0.95);
        Assert.True(DigitImages.Correlation(digit, fromLight.Pixels) > 0.85);
        Assert.Equal(0, fromLight.Pixels[0]); // the corner is background, hence black
    }

    [Fact]
    public void OffCentreDigitOnALargeCanvasIsCroppedScaledAndCentredByMass()
    {
        var digit = TestData.Test.Image(2);
        using var image = DigitImages.Render(digit, scale: 3, darkOnLight: true, canvasWidth: 640, canvasHeight: 360, x: 8, y: 260);

        var result = Preprocessor.Preprocess(DigitImages.Encode(image, new PngEncoder()));

        var (x, y) = DigitImages.CentreOfMass(result.Pixels);
        Assert.InRange(x, 13, 15);
        Assert.InRange(y, 13, 15);
        Assert.True(DigitImages.Correlation(digit, result.Pixels) > 0.85);
        Assert.Equal((640, 360), (result.SourceWidth, result.SourceHeight));
    }

    [Fact]
    public void ASmallThinDigitOnAWideScreenshotIsFoundNotCalledTooFaint()
    {
        // Test image 2 is a "1": at MNIST's own size its ink covers under 0.1% of a 640×360 screenshot.
        var digit = TestData.Test.Image(2);
        using var image = DigitImages.Render(digit, scale: 1, darkOnLight: true, canvasWidth: 640, canvasHeight: 360, x: 600, y: 10);
        Assert.True(digit.ToArray().Count(p => p > 0) < 640 * 360 / 1000);

        var result = Preprocessor.Preprocess(DigitImages.Encode(image, new PngEncoder()));

        Assert.True(DigitImages.Correlation(digit, result.Pixels) > 0.8);
    }

    [Fact]
    public void InkOnATransparentBackgroundIsTakenFromAlpha()
    {
        var digit = TestData.Test.Image(3);
        using var image = DigitImages.Render(digit, scale: 4, canvasWidth: 200, canvasHeight: 200, x: 40, y: 30, transparentBackground: true);

        var result = Preprocessor.Preprocess(DigitImages.Encode(image, new PngEncoder { ColorType = PngColorType.RgbWithAlpha }));

        Assert.True(DigitImages.Correlation(digit, result.Pixels) > 0.85);
    }

    [Fact]
    public void SixteenBitGreyscalePngIsAccepted()
    {
        var digit = TestData.Test.Image(4);
        using var rgba = DigitImages.Render(digit, scale: 3, darkOnLight: true);
        using var deep = rgba.CloneAs<L16>();

        var result = Preprocessor.Preprocess(DigitImages.Encode(deep, new PngEncoder { BitDepth = PngBitDepth.Bit16, ColorType = PngColorType.Grayscale }));

        Assert.True(DigitImages.Correlation(digit, result.Pixels) > 0.85);
    }

    [Fact]
    public void ResultIsMnistShapedInkFitsTwentyPixelsAndPeaksWhite()
    {
        using var image = DigitImages.Render(TestData.Test.Image(0), scale: 10, darkOnLight: true);

        var pixels = Preprocessor.Preprocess(DigitImages.Encode(image, new JpegEncoder())).Pixels;

        var rows = Enumerable.Range(0, 28).Where(r => pixels.AsSpan(r * 28, 28).ToArray().Any(p => p > 0)).ToList();
        var cols = Enumerable.Range(0, 28).Where(c => Enumerable.Range(0, 28).Any(r => pixels[r * 28 + c] > 0)).ToList();
        Assert.InRange(Math.Max(rows[^1] - rows[0] + 1, cols[^1] - cols[0] + 1), 19, 20);
        Assert.Equal(255, pixels.Max());
    }

    [Fact]
    public void DecompressionBombIsRefusedFromItsHeaderWithoutDecoding()
    {
        var bomb = ImageBombs.PngPixels(20_000, 20_000);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var e = Assert.Throws<ImageRejectedException>(() => Preprocessor.Preprocess(bomb));

        Assert.Equal(ImageRejection.TooManyPixels, e.Reason);
        Assert.Contains("20000×20000", e.Message);
        // Decoding 400 million pixels would allocate gigabytes; refusing from the header allocates next to nothing.
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16 * 1024 * 1024);
        Assert.True(bomb.Length < 200_000, $"the bomb is a small file ({bomb.Length} bytes)");
    }

    [Fact]
    public void FileOverTheByteLimitIsRefusedBeforeAnythingElse()
    {
        var small = new DigitPreprocessor(new ImageLimits { MaxBytes = 1000 });
        using var image = DigitImages.Render(TestData.Test.Image(0), scale: 10);

        var e = Assert.Throws<ImageRejectedException>(() => small.Preprocess(DigitImages.Encode(image, new BmpEncoder())));

        Assert.Equal(ImageRejection.TooManyBytes, e.Reason);
        Assert.Contains("limit is 1,000", e.Message);
    }

    [Fact]
    public void EmptyFileIsRefusedAsEmpty() =>
        Assert.Equal(ImageRejection.Empty, Assert.Throws<ImageRejectedException>(() => Preprocessor.Preprocess([])).Reason);

    [Fact]
    public void TextIsRefusedAsNotAnImage()
    {
        var e = Assert.Throws<ImageRejectedException>(() => Preprocessor.Preprocess("hello, this is not a picture"u8));
        Assert.Equal(ImageRejection.NotAnImage, e.Reason);
    }

    [Fact]
    public void TruncatedPngIsRefusedAsNotAnImage()
    {
        using var image = DigitImages.Render(TestData.Test.Image(0), scale: 4);
        var png = DigitImages.Encode(image, new PngEncoder());

        var e = Assert.Throws<ImageRejectedException>(() => Preprocessor.Preprocess(png.AsSpan(0, png.Length / 2)));

        Assert.Equal(ImageRejection.NotAnImage, e.Reason);
        Assert.Contains("damaged", e.Message);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void DamagedFilesAreRefusedAsNotAnImageWhateverBreaksInTheDecoder(string format)
    {
        // Truncations and corrupted headers, seeded so every run tries the same files; such inputs once
        // escaped ImageSharp as NullReference, DivideByZero and InvalidOperation exceptions (HTTP 500).
        using var image = DigitImages.Render(TestData.Test.Image(3), scale: 3, darkOnLight: true);
        var good = DigitImages.Encode(image, Encoder(format));
        var random = new Random(1);
        var refusals = new Dictionary<ImageRejection, int>();
        var read = 0;
        for (var trial = 0; trial < 300; trial++)
        {
            var bytes = trial % 2 == 0 ? good[..random.Next(1, good.Length)] : (byte[])good.Clone();
            for (var k = 0; k <= trial % 8; k++) bytes[random.Next(Math.Min(bytes.Length, 200))] = (byte)random.Next(256);
            try
            {
                Assert.Equal(784, Preprocessor.Preprocess(bytes).Pixels.Length);
                read++;
            }
            catch (ImageRejectedException e)
            {
                refusals[e.Reason] = refusals.GetValueOrDefault(e.Reason) + 1;
            }
        }
        output.WriteLine($"{format}: {read} still read, refused: {string.Join(", ", refusals.Select(r => $"{r.Key} {r.Value}"))}");
        // Damage the decoder can survive (a pixel byte changed) may still read, as a browser would show it; but a file cut
        // or broken in its header is refused as not an image (or damaged), and nothing for a reason damage cannot cause.
        Assert.True(refusals.GetValueOrDefault(ImageRejection.NotAnImage) >= 60, $"only {refusals.GetValueOrDefault(ImageRejection.NotAnImage)} of 300 refused as damaged");
        Assert.Empty(refusals.Keys.Except([ImageRejection.NotAnImage, ImageRejection.NoDigit, ImageRejection.TooManyPixels, ImageRejection.TooCostlyToDecode]));
    }

    [Fact]
    public void TiffIsAnImageButAnUnsupportedType()
    {
        using var image = DigitImages.Render(TestData.Test.Image(0), scale: 2);

        var e = Assert.Throws<ImageRejectedException>(() => Preprocessor.Preprocess(DigitImages.Encode(image, new TiffEncoder())));

        Assert.Equal(ImageRejection.UnsupportedFormat, e.Reason);
        Assert.Contains("TIFF", e.Message);
    }

    [Fact]
    public void BlankPageHasNoDigit()
    {
        using var blank = new Image<Rgba32>(300, 200, new Rgba32(250, 250, 250, 255));

        var e = Assert.Throws<ImageRejectedException>(() => Preprocessor.Preprocess(DigitImages.Encode(blank, new PngEncoder())));

        Assert.Equal(ImageRejection.NoDigit, e.Reason);
    }
}
