using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace MnistEvents.TestSupport;

/// <summary>Hostile images, built byte by byte as real files: small on disk, ruinous to a decoder that trusts them.</summary>
public static class ImageBombs
{
    /// <summary>A valid 1-bit greyscale PNG of width × height black pixels: tiny on disk, huge decoded.</summary>
    public static byte[] PngPixels(int width, int height)
    {
        using var raw = new MemoryStream();
        using (var z = new ZLibStream(raw, CompressionLevel.Optimal, leaveOpen: true))
        {
            var row = new byte[1 + (width + 7) / 8];
            for (var y = 0; y < height; y++) z.Write(row);
        }

        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 1; // bit depth
        ihdr[9] = 0; // greyscale
        using var png = new MemoryStream();
        png.Write(PngSignature);
        PngChunk(png, "IHDR", ihdr);
        PngChunk(png, "IDAT", raw.ToArray());
        PngChunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>
    /// <paramref name="png"/> with a compressed text chunk (<c>zTXt</c>, or <c>iTXt</c> when <paramref name="international"/>)
    /// that inflates to <paramref name="inflatedMegabytes"/> MB: a few hundred KB on disk, gigabytes as a string.
    /// </summary>
    public static byte[] PngCompressedText(byte[] png, int inflatedMegabytes, bool international = false)
    {
        var header = international
            ? Encoding.ASCII.GetBytes("Comment\0").Concat(new byte[] { 1, 0, 0, 0 }).ToArray() // compressed, deflate, no language, no translation
            : Encoding.ASCII.GetBytes("Comment\0").Concat(new byte[] { 0 }).ToArray();        // deflate
        var text = header.Concat(Deflated(inflatedMegabytes)).ToArray();
        return InsertPngChunkAfterHeader(png, international ? "iTXt" : "zTXt", text);
    }

    /// <summary><paramref name="png"/> with a compressed ICC profile (<c>iCCP</c>) that inflates to <paramref name="inflatedMegabytes"/> MB.</summary>
    public static byte[] PngIccProfile(byte[] png, int inflatedMegabytes) =>
        InsertPngChunkAfterHeader(png, "iCCP", Encoding.ASCII.GetBytes("icc\0").Concat(new byte[] { 0 }).Concat(Deflated(inflatedMegabytes)).ToArray());

    /// <summary>
    /// An interlaced <paramref name="png"/> whose image data is re-compressed from only its first
    /// <paramref name="keepBytes"/> bytes: a complete, valid zlib stream that ends before the last row.
    /// </summary>
    public static byte[] PngInterlacedDataEndingEarly(byte[] png, int keepBytes)
    {
        const int headerEnd = 8 + 4 + 4 + 13 + 4;
        if (png[headerEnd - 5] != 1) throw new ArgumentException("expects an interlaced PNG", nameof(png));
        using var compressed = new MemoryStream();
        var offset = headerEnd;
        using var kept = new MemoryStream();
        while (offset + 12 <= png.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            if (png.AsSpan(offset + 4, 4).SequenceEqual("IDAT"u8)) compressed.Write(png.AsSpan(offset + 8, length));
            else if (!png.AsSpan(offset + 4, 4).SequenceEqual("IEND"u8)) kept.Write(png.AsSpan(offset, 12 + length));
            offset += 12 + length;
        }
        compressed.Position = 0;
        var rows = new byte[keepBytes];
        using (var z = new ZLibStream(compressed, CompressionMode.Decompress)) z.ReadExactly(rows);
        using var recompressed = new MemoryStream();
        using (var z = new ZLibStream(recompressed, CompressionLevel.Optimal, leaveOpen: true)) z.Write(rows);

        using var result = new MemoryStream();
        result.Write(png.AsSpan(0, headerEnd));
        result.Write(kept.ToArray());
        PngChunk(result, "IDAT", recompressed.ToArray());
        PngChunk(result, "IEND", []);
        return result.ToArray();
    }

    /// <summary>An 8-bit <paramref name="bmp"/> whose header claims 16 million palette colours and pixel data 64 MB in.</summary>
    public static byte[] BmpLyingColourTable(byte[] bmp)
    {
        var bomb = (byte[])bmp.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(bomb.AsSpan(10), 64 * 1024 * 1024 + 54); // where the pixels start
        BinaryPrimitives.WriteInt32LittleEndian(bomb.AsSpan(46), 16 * 1024 * 1024);      // colours used
        return bomb;
    }

    /// <summary>A GIF whose screen is 16×16 but whose one frame claims width × height: the header passes, the frame does not fit.</summary>
    public static byte[] GifFrameLargerThanScreen(int width, int height)
    {
        using var gif = new MemoryStream();
        gif.Write("GIF89a"u8);
        gif.Write([16, 0, 16, 0, 0, 0, 0]);                       // screen 16×16, no global colour table
        gif.WriteByte(0x2C);                                      // image descriptor
        gif.Write([0, 0, 0, 0]);                                  // at (0, 0)
        gif.Write([(byte)width, (byte)(width >> 8), (byte)height, (byte)(height >> 8)]);
        gif.WriteByte(0x80);                                      // a local colour table of 2 entries
        gif.Write([0, 0, 0, 255, 255, 255]);
        gif.WriteByte(2);                                         // LZW minimum code size
        gif.Write([2, 0x4C, 0x01, 0]);                            // clear, one pixel, end; then the block terminator
        gif.WriteByte(0x3B);
        return gif.ToArray();
    }

    /// <summary>
    /// A lossless WebP (from <paramref name="webp"/>) made extended, with an ICC profile chunk that claims about 2 GB
    /// before the image: a reader that allocates what a chunk header claims runs out of memory.
    /// </summary>
    public static byte[] WebpLyingIccChunk(byte[] webp)
    {
        if (!webp.AsSpan(12, 4).SequenceEqual("VP8L"u8)) throw new ArgumentException("expects a simple lossless WebP", nameof(webp));
        var width = 1 + ((webp[21] | webp[22] << 8) & 0x3FFF);
        var height = 1 + ((webp[22] >> 6 | webp[23] << 2 | webp[24] << 10) & 0x3FFF);

        using var body = new MemoryStream();
        body.Write("WEBP"u8);
        var vp8x = new byte[10];
        vp8x[0] = 0x20; // has an ICC profile
        WriteUInt24(vp8x.AsSpan(4), width - 1);
        WriteUInt24(vp8x.AsSpan(7), height - 1);
        RiffChunk(body, "VP8X", vp8x);
        body.Write("ICCP"u8);
        body.Write([0x00, 0x00, 0xFF, 0x7F]);                     // 2,147,418,112 bytes, it says
        body.Write(new byte[64]);
        body.Write(webp.AsSpan(12));                              // the real image chunk

        using var file = new MemoryStream();
        file.Write("RIFF"u8);
        Span<byte> size = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(size, (int)body.Length);
        file.Write(size);
        body.Position = 0;
        body.CopyTo(file);
        return file.ToArray();
    }

    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private static byte[] Deflated(int inflatedMegabytes)
    {
        using var raw = new MemoryStream();
        using (var z = new ZLibStream(raw, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < inflatedMegabytes; i++) z.Write(zeros);
        }
        return raw.ToArray();
    }

    private static byte[] InsertPngChunkAfterHeader(byte[] png, string type, byte[] data)
    {
        const int afterHeader = 8 + 4 + 4 + 13 + 4;
        using var result = new MemoryStream();
        result.Write(png.AsSpan(0, afterHeader));
        PngChunk(result, type, data);
        result.Write(png.AsSpan(afterHeader));
        return result.ToArray();
    }

    private static void PngChunk(Stream stream, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        stream.Write(word);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        stream.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(word, ImageMutator.Crc32(typed));
        stream.Write(word);
    }

    private static void RiffChunk(Stream stream, string type, byte[] data)
    {
        stream.Write(Encoding.ASCII.GetBytes(type));
        Span<byte> size = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(size, data.Length);
        stream.Write(size);
        stream.Write(data);
        if (data.Length % 2 == 1) stream.WriteByte(0);
    }

    private static void WriteUInt24(Span<byte> target, int value)
    {
        target[0] = (byte)value;
        target[1] = (byte)(value >> 8);
        target[2] = (byte)(value >> 16);
    }
}
