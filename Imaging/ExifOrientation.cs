using System.Buffers.Binary;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Processing;

namespace MnistEvents.Imaging;

/// <summary>
/// The one piece of metadata an upload is read for: EXIF's Orientation tag (0x0112), which says how a phone's stored
/// pixels must be turned to look as the person saw them. Read straight from the container's bytes (JPEG APP1, PNG
/// eXIf, WebP EXIF), looking only at the first IFD's entries and never allocating, so a hostile block costs at most one
/// pass over bytes already in memory; ImageSharp's metadata readers stay off. Anything unreadable means "as stored" (1).
/// </summary>
public static class ExifOrientation
{
    private const ushort OrientationTag = 0x0112;
    private const int MaxJpegSegments = 256;

    /// <summary>The file's orientation, 1–8 as EXIF defines them; 1 when there is no tag or it cannot be read.</summary>
    public static int Read(IImageFormat format, ReadOnlySpan<byte> data) =>
        format == JpegFormat.Instance ? FromJpeg(data)
        : format == PngFormat.Instance ? FromPng(data)
        : format == WebpFormat.Instance ? FromWebp(data)
        : 1;

    /// <summary>Turns <paramref name="image"/> the way a photo viewer shows a file tagged <paramref name="orientation"/>.</summary>
    public static void Apply(Image image, int orientation)
    {
        var (rotate, flip) = orientation switch
        {
            2 => (RotateMode.None, FlipMode.Horizontal),
            3 => (RotateMode.Rotate180, FlipMode.None),
            4 => (RotateMode.None, FlipMode.Vertical),
            5 => (RotateMode.Rotate90, FlipMode.Horizontal),
            6 => (RotateMode.Rotate90, FlipMode.None),
            7 => (RotateMode.Rotate270, FlipMode.Horizontal),
            8 => (RotateMode.Rotate270, FlipMode.None),
            _ => (RotateMode.None, FlipMode.None),
        };
        if (rotate != RotateMode.None || flip != FlipMode.None) image.Mutate(c => c.RotateFlip(rotate, flip));
    }

    private static int FromJpeg(ReadOnlySpan<byte> jpeg)
    {
        var at = 2;
        for (var segments = 0; segments < MaxJpegSegments && at + 4 <= jpeg.Length; segments++)
        {
            if (jpeg[at] != 0xFF) return 1;
            var marker = jpeg[at + 1];
            if (marker == 0xFF) { at++; continue; } // fill byte
            if (marker is 0x01 or >= 0xD0 and <= 0xD8) { at += 2; continue; } // markers without a length
            if (marker is 0xDA or 0xD9) return 1; // the image data begins: the APP segments are behind us
            var length = BinaryPrimitives.ReadUInt16BigEndian(jpeg[(at + 2)..]);
            if (length < 2 || at + 2 + length > jpeg.Length) return 1;
            var body = jpeg.Slice(at + 4, length - 2);
            if (marker == 0xE1 && body.StartsWith("Exif\0\0"u8)) return FromTiff(body[6..]);
            at += 2 + length;
        }
        return 1;
    }

    private static int FromPng(ReadOnlySpan<byte> png)
    {
        for (var at = 8; at + 12 <= png.Length;)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(png[at..]);
            if (length > (uint)(png.Length - at - 12)) return 1;
            var type = png.Slice(at + 4, 4);
            // eXIf belongs before the image data; a writer that puts it after still means it.
            if (type.SequenceEqual("IEND"u8)) return 1;
            if (type.SequenceEqual("eXIf"u8)) return FromTiff(WithoutExifPrefix(png.Slice(at + 8, (int)length)));
            at += 12 + (int)length;
        }
        return 1;
    }

    private static int FromWebp(ReadOnlySpan<byte> webp)
    {
        // EXIF follows the image data (and every animation frame), so the whole RIFF chunk list is walked: 8 bytes a step at least.
        for (var at = 12; at + 8 <= webp.Length;)
        {
            var size = BinaryPrimitives.ReadUInt32LittleEndian(webp[(at + 4)..]);
            if (size > (uint)(webp.Length - at - 8)) return 1;
            if (webp.Slice(at, 4).SequenceEqual("EXIF"u8)) return FromTiff(WithoutExifPrefix(webp.Slice(at + 8, (int)size)));
            at += 8 + (int)size + (int)(size & 1);
        }
        return 1;
    }

    // Some writers keep JPEG's "Exif\0\0" in front of the TIFF block in PNG and WebP too.
    private static ReadOnlySpan<byte> WithoutExifPrefix(ReadOnlySpan<byte> block) => block.StartsWith("Exif\0\0"u8) ? block[6..] : block;

    private static int FromTiff(ReadOnlySpan<byte> tiff)
    {
        if (tiff.Length < 8) return 1;
        bool big;
        if (tiff.StartsWith("II"u8)) big = false;
        else if (tiff.StartsWith("MM"u8)) big = true;
        else return 1;
        if (U16(tiff, 2, big) != 42) return 1;
        var ifd = U32(tiff, 4, big);
        if (ifd > (uint)(tiff.Length - 2)) return 1;
        var entries = Math.Min(U16(tiff, (int)ifd, big), (tiff.Length - (int)ifd - 2) / 12);
        for (var i = 0; i < entries; i++)
        {
            var entry = (int)ifd + 2 + i * 12;
            if (U16(tiff, entry, big) != OrientationTag) continue;
            // SHORT, one value, held in the entry itself.
            if (U16(tiff, entry + 2, big) != 3 || U32(tiff, entry + 4, big) < 1) return 1;
            var value = U16(tiff, entry + 8, big);
            return value is >= 1 and <= 8 ? value : 1;
        }
        return 1;
    }

    private static ushort U16(ReadOnlySpan<byte> tiff, int at, bool big) =>
        big ? BinaryPrimitives.ReadUInt16BigEndian(tiff[at..]) : BinaryPrimitives.ReadUInt16LittleEndian(tiff[at..]);

    private static uint U32(ReadOnlySpan<byte> tiff, int at, bool big) =>
        big ? BinaryPrimitives.ReadUInt32BigEndian(tiff[at..]) : BinaryPrimitives.ReadUInt32LittleEndian(tiff[at..]);
}
