using System.Buffers.Binary;
using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace MnistEvents.Model.Evaluation;

/// <summary>
/// Files as cameras and apps write them, byte by byte where ImageSharp 2.1 cannot: an EXIF Orientation tag in
/// each container's own place for it (JPEG APP1, PNG eXIf, WebP EXIF; either byte order), pixels stored turned the
/// way a sideways phone stores them, and animated WebP.
/// </summary>
public static class UploadFiles
{
    public static byte[] Encode(Image image, IImageEncoder encoder)
    {
        using var stream = new MemoryStream();
        image.Save(stream, encoder);
        return stream.ToArray();
    }

    public static byte[] Jpeg(Image image, int quality) => Encode(image, new JpegEncoder { Quality = quality });

    // The fastest deflate: a photo's noise does not compress anyway, and the set renders in seconds.
    public static byte[] Png(Image image) => Encode(image, new PngEncoder { CompressionLevel = PngCompressionLevel.BestSpeed });

    // The fastest method: the files are as valid, a little larger, and a validation set of them builds in seconds, not minutes.
    public static byte[] WebpLossy(Image image, int quality) =>
        Encode(image, new WebpEncoder { FileFormat = WebpFileFormatType.Lossy, Quality = quality, Method = WebpEncodingMethod.Fastest });

    public static byte[] WebpLossless(Image image) =>
        Encode(image, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless, Method = WebpEncodingMethod.Fastest });

    /// <summary>
    /// The pixels a camera stores for an <paramref name="upright"/> scene when it tags the file with EXIF
    /// <paramref name="orientation"/> (1–8): a viewer that honours the tag shows the scene upright again.
    /// </summary>
    public static Image<Rgb24> StoredFor(Image<Rgb24> upright, int orientation)
    {
        int w = upright.Width, h = upright.Height;
        var swapped = orientation >= 5;
        var sw = swapped ? h : w;
        var source = new Rgb24[w * h];
        upright.CopyPixelDataTo(source);
        var target = new Rgb24[w * h];
        for (var dy = 0; dy < h; dy++)
        for (var dx = 0; dx < w; dx++)
        {
            // From the EXIF definitions: where the stored 0th row and 0th column appear when viewed.
            var (sx, sy) = orientation switch
            {
                2 => (w - 1 - dx, dy),
                3 => (w - 1 - dx, h - 1 - dy),
                4 => (dx, h - 1 - dy),
                5 => (dy, dx),
                6 => (dy, w - 1 - dx),
                7 => (h - 1 - dy, w - 1 - dx),
                8 => (h - 1 - dy, dx),
                _ => (dx, dy),
            };
            target[sy * sw + sx] = source[dy * w + dx];
        }
        return Image.LoadPixelData<Rgb24>(target, sw, swapped ? w : h);
    }

    /// <summary>The JPEG, PNG or WebP <paramref name="file"/> with an EXIF block holding <paramref name="orientation"/> (and a camera's make and resolution).</summary>
    public static byte[] WithOrientation(byte[] file, int orientation, bool bigEndian)
    {
        var exif = Exif(orientation, bigEndian);
        if (file is [0xFF, 0xD8, ..])
        {
            var segment = new byte[4 + 6 + exif.Length];
            segment[0] = 0xFF;
            segment[1] = 0xE1;
            BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(2 + 6 + exif.Length));
            "Exif\0\0"u8.CopyTo(segment.AsSpan(4));
            exif.CopyTo(segment.AsSpan(10));
            return [.. file[..2], .. segment, .. file[2..]];
        }
        if (file is [0x89, (byte)'P', (byte)'N', (byte)'G', ..])
        {
            // Straight after IHDR (8 bytes of signature, 25 of IHDR): before the image data, as the eXIf definition asks.
            return [.. file[..33], .. PngChunk("eXIf", exif), .. file[33..]];
        }
        if (Encoding.ASCII.GetString(file, 8, 4) == "WEBP")
        {
            var chunks = RiffChunks(file);
            var exifChunk = RiffChunk("EXIF", exif);
            if (chunks[0].Type == "VP8X")
            {
                var vp8x = chunks[0].Bytes.ToArray();
                vp8x[8] |= 0x08;
                return Riff([vp8x, .. chunks.Skip(1).Select(c => c.Bytes), exifChunk]);
            }
            var (width, height) = WebpSize(file);
            return Riff([Vp8x(0x08, width, height), .. chunks.Select(c => c.Bytes), exifChunk]);
        }
        throw new ArgumentException("only JPEG, PNG and WebP files carry an orientation here", nameof(file));
    }

    /// <summary>
    /// An animated WebP of still WebP <paramref name="frames"/> (each the canvas's size), shown for
    /// <paramref name="durationMs"/> each: the first frame's bitstream sits in the first ANMF chunk.
    /// </summary>
    public static byte[] AnimatedWebp(IReadOnlyList<byte[]> frames, int width, int height, int durationMs)
    {
        var chunks = new List<byte[]>
        {
            Vp8x(0x02, width, height),
            // Background colour (BGRA) and loop count (0: for ever).
            RiffChunk("ANIM", [0xFF, 0xFF, 0xFF, 0xFF, 0, 0]),
        };
        foreach (var frame in frames)
        {
            var bitstream = RiffChunks(frame).Where(c => c.Type is "ALPH" or "VP8 " or "VP8L").SelectMany(c => c.Bytes.ToArray()).ToArray();
            var header = new byte[16];
            WriteUInt24(header.AsSpan(0), 0);
            WriteUInt24(header.AsSpan(3), 0);
            WriteUInt24(header.AsSpan(6), width - 1);
            WriteUInt24(header.AsSpan(9), height - 1);
            WriteUInt24(header.AsSpan(12), durationMs);
            header[15] = 0x02; // do not blend: each frame replaces the canvas
            chunks.Add(RiffChunk("ANMF", [.. header, .. bitstream]));
        }
        return Riff(chunks);
    }

    private static byte[] Exif(int orientation, bool bigEndian)
    {
        // TIFF header, IFD0 with Make, Orientation and XResolution (tags ascending, as TIFF requires), then the values that do not fit in 4 bytes.
        const int entries = 3, ifd = 8, data = ifd + 2 + entries * 12 + 4;
        var make = "Phone\0"u8;
        var bytes = new byte[data + make.Length + 8];
        void U16(int at, int v) { if (bigEndian) BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(at), (ushort)v); else BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at), (ushort)v); }
        void U32(int at, uint v) { if (bigEndian) BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(at), v); else BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), v); }
        bytes[0] = bytes[1] = (byte)(bigEndian ? 'M' : 'I');
        U16(2, 42);
        U32(4, ifd);
        U16(ifd, entries);
        var entry = ifd + 2;
        U16(entry, 0x010F); U16(entry + 2, 2); U32(entry + 4, (uint)make.Length); U32(entry + 8, data);
        entry += 12;
        U16(entry, 0x0112); U16(entry + 2, 3); U32(entry + 4, 1); U16(entry + 8, orientation);
        entry += 12;
        U16(entry, 0x011A); U16(entry + 2, 5); U32(entry + 4, 1); U32(entry + 8, (uint)(data + make.Length));
        make.CopyTo(bytes.AsSpan(data));
        U32(data + make.Length, 72);
        U32(data + make.Length + 4, 1);
        return bytes;
    }

    private static (int Width, int Height) WebpSize(byte[] file)
    {
        var info = Image.Identify(file) ?? throw new ArgumentException("not a readable WebP", nameof(file));
        return (info.Width, info.Height);
    }

    private static byte[] Vp8x(byte flags, int width, int height)
    {
        var body = new byte[10];
        body[0] = flags;
        WriteUInt24(body.AsSpan(4), width - 1);
        WriteUInt24(body.AsSpan(7), height - 1);
        return RiffChunk("VP8X", body);
    }

    private static List<(string Type, ReadOnlyMemory<byte> Bytes)> RiffChunks(byte[] file)
    {
        var chunks = new List<(string, ReadOnlyMemory<byte>)>();
        for (var at = 12; at + 8 <= file.Length;)
        {
            var size = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at + 4));
            var whole = 8 + size + (size & 1);
            chunks.Add((Encoding.ASCII.GetString(file, at, 4), file.AsMemory(at, Math.Min(whole, file.Length - at))));
            at += whole;
        }
        return chunks;
    }

    private static byte[] RiffChunk(string type, byte[] body)
    {
        var chunk = new byte[8 + body.Length + (body.Length & 1)];
        Encoding.ASCII.GetBytes(type).CopyTo(chunk, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(chunk.AsSpan(4), (uint)body.Length);
        body.CopyTo(chunk, 8);
        return chunk;
    }

    private static byte[] Riff(IEnumerable<ReadOnlyMemory<byte>> chunks) => Riff(chunks.Select(c => c.ToArray()));

    private static byte[] Riff(IEnumerable<byte[]> chunks)
    {
        var body = chunks.SelectMany(c => c).ToArray();
        var file = new byte[12 + body.Length];
        "RIFF"u8.CopyTo(file);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), (uint)(4 + body.Length));
        "WEBP"u8.CopyTo(file.AsSpan(8));
        body.CopyTo(file, 12);
        return file;
    }

    private static byte[] PngChunk(string type, byte[] body)
    {
        var chunk = new byte[12 + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)body.Length);
        Encoding.ASCII.GetBytes(type).CopyTo(chunk, 4);
        body.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + body.Length), Crc32(chunk.AsSpan(4, 4 + body.Length)));
        return chunk;
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var d in data)
        {
            crc ^= d;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }

    private static void WriteUInt24(Span<byte> at, int value)
    {
        at[0] = (byte)value;
        at[1] = (byte)(value >> 8);
        at[2] = (byte)(value >> 16);
    }
}
