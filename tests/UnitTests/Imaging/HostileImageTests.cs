using MnistEvents.Imaging;
using MnistEvents.TestSupport;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace MnistEvents.UnitTests.Imaging;

/// <summary>
/// Files made to hurt the decoder: each is refused in words, or decoded while ignoring what it hid, and neither the
/// managed heap nor ImageSharp's buffers grow past the configured budget on the way.
/// </summary>
public class HostileImageTests
{
    private const long ManagedCeiling = 64L * 1024 * 1024;

    private static readonly DigitPreprocessor Preprocessor = new();

    private static byte[] DigitPng() => DigitImages.Encode(DigitImages.Render(TestData.Test.Image(0), scale: 4), new PngEncoder());

    [Theory]
    [InlineData("zTXt")]
    [InlineData("iTXt")]
    [InlineData("iCCP")]
    public void CompressedMetadataThatInflatesToGigabytesIsNeverInflated(string chunk)
    {
        // 1 GB of text in ~1 MB of file: a decoder that reads metadata builds it as a 2 GB string (it once took 3 GB and 42 s).
        var bomb = chunk == "iCCP" ? ImageBombs.PngIccProfile(DigitPng(), 1024) : ImageBombs.PngCompressedText(DigitPng(), 1024, international: chunk == "iTXt");
        Assert.InRange(bomb.Length, 100_000, 2_000_000);

        var (result, managed) = Measured(() => Preprocessor.Preprocess(bomb));

        Assert.Equal(TestData.Test.Image(0).Length, result.Pixels.Length);
        Assert.True(DigitImages.Correlation(TestData.Test.Image(0), result.Pixels) > 0.85, "the digit itself is still read");
        Assert.True(managed < ManagedCeiling, $"{chunk}: {managed:N0} bytes allocated");
    }

    [Fact]
    public void GifFrameLargerThanItsScreenCostsOnlyTheScreen()
    {
        // The header says 16×16, which passes the pixel check; the frame claims 40000×40000 (1.6 GB of indices).
        var result = Preprocessor.Preprocess(ImageBombs.GifFrameLargerThanScreen(40_000, 40_000));

        Assert.InRange(result.DecodePeakBytes, 1, 1024 * 1024);
    }

    [Fact]
    public void InterlacedPngWhoseDataEndsEarlyIsRefusedInsteadOfLoopingTheDecoderForever()
    {
        // ImageSharp 2.1 spins forever on an Adam7 PNG whose compressed rows run out, and its PNG decoder cannot be
        // cancelled (found by the fuzz test). Here the image data is cut after the first 40 bytes and re-closed.
        var png = DigitImages.Encode(DigitImages.Render(TestData.Test.Image(0), scale: 2), new PngEncoder { InterlaceMethod = PngInterlaceMode.Adam7 });
        var bomb = ImageBombs.PngInterlacedDataEndingEarly(png, keepBytes: 40);

        var e = Assert.Throws<ImageRejectedException>(() => Preprocessor.Preprocess(bomb));

        Assert.Equal(ImageRejection.NotAnImage, e.Reason);
        Assert.Contains("interlaced image data ends early", e.Message);
    }

    [Fact]
    public void BmpColourTableLargerThanTheFileIsNotAllocated()
    {
        var bmp = DigitImages.Encode(DigitImages.Render(TestData.Test.Image(0), scale: 2), new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel8 });
        var bomb = ImageBombs.BmpLyingColourTable(bmp);

        var (e, managed) = Measured(() => Assert.Throws<ImageRejectedException>(() => Preprocessor.Preprocess(bomb)));

        Assert.Equal(ImageRejection.NotAnImage, e.Reason);
        Assert.Contains("past the end of the file", e.Message);
        Assert.True(managed < ManagedCeiling, $"{managed:N0} bytes allocated");
    }

    [Fact]
    public void WebpChunkThatClaimsTwoGigabytesIsNotAllocated()
    {
        var webp = DigitImages.Encode(DigitImages.Render(TestData.Test.Image(0), scale: 2), new WebpEncoder { FileFormat = WebpFileFormatType.Lossless });
        var bomb = ImageBombs.WebpLyingIccChunk(webp);

        var (e, managed) = Measured(() => Assert.Throws<ImageRejectedException>(() => Preprocessor.Preprocess(bomb)));

        Assert.Equal(ImageRejection.NotAnImage, e.Reason);
        Assert.True(managed < ManagedCeiling, $"{managed:N0} bytes allocated");
    }

    [Theory]
    [InlineData("jpeg")]
    [InlineData("png")]
    public void PhotoAtThePixelLimitDecodesWithinTheDefaultBudget(string format)
    {
        // 6000×4000 = 24 megapixels, the default limit: a phone photo of a digit on paper must pass.
        using var photo = new Image<Rgba32>(6000, 4000, new Rgba32(235, 232, 225));
        using (var digit = DigitImages.Render(TestData.Test.Image(1), scale: 60, darkOnLight: true))
            photo.Mutate(c => c.DrawImage(digit, new Point(2000, 1200), 1f));
        var bytes = DigitImages.Encode(photo, format == "jpeg" ? new JpegEncoder { Quality = 80 } : new PngEncoder { ColorType = PngColorType.RgbWithAlpha, BitDepth = PngBitDepth.Bit16 });

        var result = Preprocessor.Preprocess(bytes);

        Assert.True(DigitImages.Correlation(TestData.Test.Image(1), result.Pixels) > 0.85);
        Assert.InRange(result.DecodePeakBytes, 24_000_000L * 4, ImageLimits.Default.MaxDecodeBytes);
    }

    [Fact]
    public void ImageOverASmallerMemoryBudgetIsRefusedSayingSo()
    {
        var tight = new DigitPreprocessor(new ImageLimits { MaxDecodeBytes = 1024 * 1024 });
        using var image = DigitImages.Render(TestData.Test.Image(0), scale: 30); // 840×840: 2.8 MB as RGBA

        var e = Assert.Throws<ImageRejectedException>(() => tight.Preprocess(DigitImages.Encode(image, new PngEncoder())));

        Assert.Equal(ImageRejection.TooCostlyToDecode, e.Reason);
        Assert.Contains("1,048,576", e.Message);
    }

    [Fact]
    public void JpegPastItsDecodeTimeIsRefusedSayingSo()
    {
        // A deadline that has passed before decoding starts: the JPEG decoder checks it between scans and rows.
        var hurried = new DigitPreprocessor(new ImageLimits { MaxDecodeTime = TimeSpan.Zero });
        using var image = DigitImages.Render(TestData.Test.Image(0), scale: 20);

        var e = Assert.Throws<ImageRejectedException>(() => hurried.Preprocess(DigitImages.Encode(image, new JpegEncoder())));

        Assert.Equal(ImageRejection.TooCostlyToDecode, e.Reason);
        Assert.Contains("longer than", e.Message);
    }

    [Fact]
    public async Task EveryKeptHostileInputIsRefusedOrReadNeverThrownThrough()
    {
        // Inputs the fuzz test once found hanging or escaping, kept (tests/Fixtures/hostile-*) so they stay fixed.
        var files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures"), "hostile-*");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var decoded = await PreprocessorFuzzTests.DecodeWithinAsync(Preprocessor, File.ReadAllBytes(file));
            Assert.True(decoded is { Outcome: not null }, $"{Path.GetFileName(file)}: {(decoded is null ? "still decoding" : "escaped")}");
            Assert.True(decoded?.ManagedBytes < ManagedCeiling, $"{Path.GetFileName(file)}: {decoded?.ManagedBytes:N0} bytes allocated");
        }
    }

    internal static (T Result, long ManagedBytes) Measured<T>(Func<T> action)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = action();
        return (result, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
