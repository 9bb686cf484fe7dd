using System.Buffers.Binary;
using System.IO.Compression;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Png;

namespace MnistEvents.Imaging;

/// <summary>
/// Checks made on the raw bytes where ImageSharp 2.1 cannot be bounded (found by the fuzz test): its PNG decoder
/// loops forever on interlaced image data that ends early and cannot be cancelled, and its BMP decoder allocates
/// the colour table a header claims before checking that the file holds it.
/// </summary>
internal static class PreDecodeScan
{
    // Adam7's seven passes: first column, first row, column step, row step.
    private static readonly (int X, int Y, int Dx, int Dy)[] Adam7 =
        [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];

    /// <summary>What is wrong with the file, in words, or null when the decoder may read it.</summary>
    public static string? Problem(IImageFormat format, ReadOnlySpan<byte> data) =>
        format == PngFormat.Instance ? PngProblem(data)
        : format == BmpFormat.Instance ? BmpProblem(data)
        : null;

    private static string? PngProblem(ReadOnlySpan<byte> png)
    {
        var offset = 8;
        uint width = 0, height = 0;
        int bitDepth = 0, colourType = 0, interlace = 0, chunks = 0;
        using var imageData = new MemoryStream();
        while (offset + 12 <= png.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(png[offset..]);
            var type = png.Slice(offset + 4, 4);
            if (length > (uint)(png.Length - offset - 12)) break; // truncated: the decoder refuses it
            var body = png.Slice(offset + 8, (int)length);
            if (type.SequenceEqual("IHDR"u8))
            {
                if (chunks > 0) return "it has more than one header (IHDR) chunk.";
                if (length != 13) return "its header (IHDR) chunk is malformed.";
                width = BinaryPrimitives.ReadUInt32BigEndian(body);
                height = BinaryPrimitives.ReadUInt32BigEndian(body[4..]);
                (bitDepth, colourType, interlace) = (body[8], body[9], body[12]);
                if (width is 0 or > int.MaxValue || height is 0 or > int.MaxValue) return $"its header says {width}×{height} pixels.";
            }
            else if (chunks == 0)
            {
                return "it does not start with a header (IHDR) chunk.";
            }
            else if (type.SequenceEqual("IDAT"u8) && interlace == 1)
            {
                imageData.Write(body);
            }
            chunks++;
            offset += 12 + (int)length;
        }
        return interlace == 1 ? InterlacedDataProblem(imageData, width, height, bitDepth, colourType) : null;
    }

    private static string? InterlacedDataProblem(MemoryStream imageData, uint width, uint height, int bitDepth, int colourType)
    {
        var channels = colourType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => 0 };
        if (channels == 0 || bitDepth is not (1 or 2 or 4 or 8 or 16)) return null; // the decoder refuses these itself
        long expected = 0;
        foreach (var (x, y, dx, dy) in Adam7)
        {
            long columns = width > x ? (width - x + dx - 1) / dx : 0;
            long rows = height > y ? (height - y + dy - 1) / dy : 0;
            if (columns > 0) expected += rows * (1 + (columns * channels * bitDepth + 7) / 8);
        }

        imageData.Position = 0;
        long inflated = 0;
        try
        {
            using var zlib = new ZLibStream(imageData, CompressionMode.Decompress);
            var scratch = new byte[64 * 1024];
            int read;
            while (inflated < expected && (read = zlib.Read(scratch)) > 0) inflated += read;
        }
        catch (InvalidDataException)
        {
            return "its image data is not valid zlib data.";
        }
        return inflated < expected ? $"its interlaced image data ends early ({inflated:N0} of {expected:N0} bytes)." : null;
    }

    private static string? BmpProblem(ReadOnlySpan<byte> bmp)
    {
        if (bmp.Length < 14) return null;
        var pixelDataOffset = BinaryPrimitives.ReadUInt32LittleEndian(bmp[10..]);
        return pixelDataOffset > bmp.Length ? $"its pixel data is said to start at byte {pixelDataOffset:N0}, past the end of the file." : null;
    }
}
