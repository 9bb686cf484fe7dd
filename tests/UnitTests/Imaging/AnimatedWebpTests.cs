using System.Buffers.Binary;
using MnistEvents.Imaging;
using MnistEvents.Model.Evaluation;
using MnistEvents.TestSupport;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace MnistEvents.UnitTests.Imaging;

/// <summary>An animated WebP is a valid image: read by its first frame, like an animated GIF, within the same budgets; only a broken one is "damaged".</summary>
public class AnimatedWebpTests
{
    private static readonly DigitPreprocessor Preprocessor = new();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AnAnimationIsReadByItsFirstFrame(bool lossless)
    {
        // Test images 0 and 2 are a 7 and a 1.
        using var seven = Frame(0);
        using var one = Frame(2);
        byte[] Still(Image<Rgb24> frame) => lossless ? UploadFiles.WebpLossless(frame) : UploadFiles.WebpLossy(frame, 80);
        var animation = UploadFiles.AnimatedWebp([Still(seven), Still(one), Still(one)], seven.Width, seven.Height, 100);

        var seen = Preprocessor.Preprocess(animation);

        Assert.Equal("Webp", seen.SourceFormat);
        var first = Preprocessor.Preprocess(Still(seven)).Pixels;
        Assert.True(DigitImages.Correlation(first, seen.Pixels) > 0.95);
        Assert.True(DigitImages.Correlation(Preprocessor.Preprocess(Still(one)).Pixels, seen.Pixels) < 0.5);
    }

    [Fact]
    public void AnAnimationWhoseFirstFrameHoldsNoImageIsRefusedAsDamagedInWords()
    {
        using var seven = Frame(0);
        var animation = UploadFiles.AnimatedWebp([UploadFiles.WebpLossy(seven, 80)], seven.Width, seven.Height, 100);
        var anmf = IndexOf(animation, "ANMF"u8);
        // Rename the frame's bitstream chunk: the frame is still well-formed RIFF, but holds nothing to decode.
        "JUNK"u8.CopyTo(animation.AsSpan(anmf + 8 + 16));

        var e = Assert.Throws<ImageRejectedException>(() => Preprocessor.Preprocess(animation));

        Assert.Equal(ImageRejection.NotAnImage, e.Reason);
        Assert.Equal("The WebP file is damaged: its first animation frame holds no image.", e.Message);
    }

    [Fact]
    public void AnAnimationWhoseFrameRunsPastTheFileIsRefusedAsDamagedInWords()
    {
        using var seven = Frame(0);
        var animation = UploadFiles.AnimatedWebp([UploadFiles.WebpLossy(seven, 80)], seven.Width, seven.Height, 100);
        BinaryPrimitives.WriteUInt32LittleEndian(animation.AsSpan(IndexOf(animation, "ANMF"u8) + 4), 0x7FFFFFF0);

        var e = Assert.Throws<ImageRejectedException>(() => Preprocessor.Preprocess(animation));

        Assert.Equal(ImageRejection.NotAnImage, e.Reason);
        Assert.Equal("The WebP file is damaged: a chunk runs past the end of the file.", e.Message);
    }

    [Fact]
    public void AFirstFrameOverThePixelLimitIsRefusedFromItsHeaderLikeAnyImage()
    {
        using var seven = Frame(0);
        var still = UploadFiles.WebpLossless(seven);
        // VP8L's header: a signature byte, then 14 bits of width − 1 and 14 of height − 1: claim 16384×16384.
        var vp8l = IndexOf(still, "VP8L"u8) + 8;
        var bits = BinaryPrimitives.ReadUInt32LittleEndian(still.AsSpan(vp8l + 1));
        BinaryPrimitives.WriteUInt32LittleEndian(still.AsSpan(vp8l + 1), bits | 0x0FFFFFFF);
        var animation = UploadFiles.AnimatedWebp([still], seven.Width, seven.Height, 100);

        var e = Assert.Throws<ImageRejectedException>(() => Preprocessor.Preprocess(animation));

        Assert.Equal(ImageRejection.TooManyPixels, e.Reason);
        Assert.Contains("16384×16384", e.Message);
    }

    private static Image<Rgb24> Frame(int index)
    {
        var scene = Photos.Page(200, 160);
        Photos.Write(scene, index, 100, Photos.Black);
        return scene.ToImage(0);
    }

    private static int IndexOf(byte[] file, ReadOnlySpan<byte> fourCc) => file.AsSpan().IndexOf(fourCc);
}
