using System.Buffers.Binary;
using MnistEvents.Imaging;
using MnistEvents.Model.Evaluation;
using MnistEvents.TestSupport;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;

namespace MnistEvents.UnitTests.Imaging;

/// <summary>
/// A phone stores its sensor's pixels and says in EXIF how to turn them. Read the way a photo viewer reads it, from
/// JPEG, PNG and WebP in either byte order, and only that tag: a hostile EXIF block costs nothing and changes nothing.
/// </summary>
public class OrientationTests
{
    private static readonly DigitPreprocessor Preprocessor = new();

    public static TheoryData<int, string, bool> Tagged()
    {
        var data = new TheoryData<int, string, bool>();
        foreach (var container in new[] { "jpeg", "png", "webp" })
        for (var orientation = 1; orientation <= 8; orientation++)
            data.Add(orientation, container, orientation % 2 == 0);
        return data;
    }

    [Theory]
    [MemberData(nameof(Tagged))]
    public void AStoredTurnedPhotoIsReadUprightAsItsTagSays(int orientation, string container, bool bigEndian)
    {
        // Test image 0 is a 7: no turn or mirror of it looks like itself.
        using var upright = Photo();
        var expected = Preprocessor.Preprocess(Encode(upright, container)).Pixels;
        using var stored = UploadFiles.StoredFor(upright, orientation);
        var untagged = Encode(stored, container);
        var file = UploadFiles.WithOrientation(untagged, orientation, bigEndian);

        var seen = Preprocessor.Preprocess(file).Pixels;

        Assert.Equal(orientation, ExifOrientation.Read(Image.DetectFormat(file)!, file));
        Assert.True(DigitImages.Correlation(expected, seen) > 0.9, $"orientation {orientation} in {container}: correlation {DigitImages.Correlation(expected, seen):0.00}");
        // And it was the tag that did it: the same pixels without it are not the upright 7 (unless there was nothing to turn).
        if (orientation != 1) Assert.True(DigitImages.Correlation(expected, Preprocessor.Preprocess(untagged).Pixels) < 0.6);
    }

    [Fact]
    public void WithoutTheTagTheStoredPixelsAreReadAsTheyAre()
    {
        using var upright = Photo();
        using var sideways = UploadFiles.StoredFor(upright, 6);
        var expected = Preprocessor.Preprocess(UploadFiles.Png(upright)).Pixels;

        var untagged = Preprocessor.Preprocess(UploadFiles.Jpeg(sideways, 90)).Pixels;

        Assert.Equal(1, ExifOrientation.Read(JpegFormat.Instance, UploadFiles.Jpeg(sideways, 90)));
        Assert.True(DigitImages.Correlation(expected, untagged) < 0.5, "a 7 turned a quarter is not the 7");
    }

    [Fact]
    public void APngWhoseExifComesAfterItsImageDataIsStillTurned()
    {
        using var upright = Photo();
        using var stored = UploadFiles.StoredFor(upright, 8);
        var tagged = UploadFiles.WithOrientation(UploadFiles.Png(stored), 8, bigEndian: false);
        // Move the eXIf chunk (right after IHDR, at byte 33) to just before IEND (the last 12 bytes).
        var length = 12 + (int)BinaryPrimitives.ReadUInt32BigEndian(tagged.AsSpan(33));
        var chunk = tagged[33..(33 + length)];
        var rest = tagged[..33].Concat(tagged[(33 + length)..]).ToArray();
        byte[] late = [.. rest[..^12], .. chunk, .. rest[^12..]];

        Assert.Equal(8, ExifOrientation.Read(PngFormat.Instance, late));
        Assert.True(DigitImages.Correlation(Preprocessor.Preprocess(UploadFiles.Png(upright)).Pixels, Preprocessor.Preprocess(late).Pixels) > 0.9);
    }

    [Fact]
    public void TheTagAsImageSharpItselfWritesItIsRead()
    {
        // Another writer's EXIF block (ImageSharp's own, in its byte order and layout) against this reader.
        using var image = Photo();
        image.Metadata.ExifProfile = new ExifProfile();
        image.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)8);
        image.Metadata.ExifProfile.SetValue(ExifTag.Make, "Phone");

        Assert.Equal(8, ExifOrientation.Read(JpegFormat.Instance, DigitImages.Encode(image, new JpegEncoder())));
        Assert.Equal(8, ExifOrientation.Read(PngFormat.Instance, DigitImages.Encode(image, new PngEncoder())));
        Assert.Equal(8, ExifOrientation.Read(WebpFormat.Instance, DigitImages.Encode(image, new WebpEncoder())));
    }

    [Fact]
    public void HostileExifBlocksReadAsUprightWithoutCostOrError()
    {
        using var image = Photo();
        var jpeg = UploadFiles.WithOrientation(UploadFiles.Jpeg(image, 90), 6, bigEndian: false);
        // The TIFF block starts after SOI (2), the APP1 marker and length (4) and "Exif\0\0" (6).
        const int tiff = 12;

        byte[] Patched(Action<byte[]> patch) { var copy = (byte[])jpeg.Clone(); patch(copy); return copy; }
        // 65,535 entries claimed: read only as far as the block holds them, where the real tag still is.
        Assert.Equal(6, ExifOrientation.Read(JpegFormat.Instance, Patched(b => BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(tiff + 8), 0xFFFF))));
        byte[][] hostile =
        [
            Patched(b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(tiff + 4), 0xFFFFFFF0)), // IFD far past the block
            Patched(b => BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(tiff + 2), 43)), // not TIFF
            Patched(b => BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(tiff + 10 + 12 + 8), 9)), // orientation 9
            Patched(b => BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(tiff + 10 + 12 + 2), 4)), // LONG, not SHORT
            Patched(b => BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(4), 0xFFFF)), // APP1 longer than the file
            jpeg[..(tiff + 12)], // cut inside the IFD
            [0xFF, 0xD8, .. Enumerable.Repeat<byte[]>([0xFF, 0xE2, 0x00, 0x02], 100_000).SelectMany(s => s), .. jpeg[2..]], // 100,000 empty segments first
        ];

        foreach (var file in hostile)
            Assert.Equal(1, ExifOrientation.Read(JpegFormat.Instance, file));
    }

    [Fact]
    public void APngOrWebpWhoseChunksLieAboutTheirSizeReadsAsUpright()
    {
        using var image = Photo();
        var png = UploadFiles.WithOrientation(UploadFiles.Png(image), 6, bigEndian: true);
        var webp = UploadFiles.WithOrientation(UploadFiles.WebpLossy(image, 80), 6, bigEndian: true);
        var lyingPng = (byte[])png.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(lyingPng.AsSpan(33), 0x7FFFFFFF); // the eXIf chunk after IHDR
        var lyingWebp = (byte[])webp.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(lyingWebp.AsSpan(16), 0x7FFFFFFF); // the first chunk

        Assert.Equal(6, ExifOrientation.Read(PngFormat.Instance, png));
        Assert.Equal(6, ExifOrientation.Read(WebpFormat.Instance, webp));
        Assert.Equal(1, ExifOrientation.Read(PngFormat.Instance, lyingPng));
        Assert.Equal(1, ExifOrientation.Read(WebpFormat.Instance, lyingWebp));
    }

    private static Image<Rgb24> Photo()
    {
        var scene = Photos.Page(240, 180);
        Photos.Write(scene, 0, 110, Photos.Black);
        return scene.ToImage(0.5f);
    }

    private static byte[] Encode(Image<Rgb24> image, string container) => container switch
    {
        "jpeg" => UploadFiles.Jpeg(image, 92),
        "png" => UploadFiles.Png(image),
        // Lossless: lossy WebP codes the turned pixels differently enough to blur what this test looks at, and the
        // upload families test lossy WebP (orientation tags included) on their own.
        _ => UploadFiles.WebpLossless(image),
    };
}
