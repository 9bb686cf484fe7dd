using System.Buffers.Binary;
using MnistEvents.Model.Evaluation;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace MnistEvents.TestSupport;

/// <summary>
/// Seeded mutations of real image files, the way a fuzzer makes them: bit flips, interesting values written into header
/// fields, truncations, inserted, deleted and spliced spans, and PNG chunks re-checksummed so the damage reaches past the
/// CRC check into the decoder. The same seed gives the same files on every machine.
/// </summary>
public sealed class ImageMutator(IReadOnlyList<byte[]> seeds, int seed)
{
    private static readonly uint[] Interesting =
        [0, 1, 2, 0x7F, 0x80, 0xFF, 0x100, 0x3FFF, 0x4000, 0x7FFF, 0x8000, 0xFFFF, 0x10000, 0xFFFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF];

    private readonly Random random = new(seed);

    /// <summary>Real MNIST test digits in every supported format and the variants their decoders branch on: the fuzzers' starting points.</summary>
    public static IReadOnlyList<byte[]> MnistSeeds(string format)
    {
        var files = new List<byte[]>();
        for (var i = 0; i < 3; i++)
        {
            using var image = DigitImages.Render(TestData.Test.Image(i), scale: 2, darkOnLight: i % 2 == 1, transparentBackground: i == 2);
            IImageEncoder[] encoders = format switch
            {
                "png" => [new PngEncoder(), new PngEncoder { ColorType = PngColorType.Grayscale, BitDepth = PngBitDepth.Bit16 }, new PngEncoder { ColorType = PngColorType.Palette, InterlaceMethod = PngInterlaceMode.Adam7 }],
                "jpeg" => [new JpegEncoder { Quality = 75 }, new JpegEncoder { ColorType = JpegColorType.Luminance }],
                "gif" => [new GifEncoder()],
                "bmp" => [new BmpEncoder(), new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel8 }],
                "webp" => [new WebpEncoder { FileFormat = WebpFileFormatType.Lossless }, new WebpEncoder { FileFormat = WebpFileFormatType.Lossy }],
                _ => throw new ArgumentOutOfRangeException(nameof(format)),
            };
            files.AddRange(encoders.Select(e => DigitImages.Encode(image, e)));
        }
        // The two structures read outside ImageSharp: an EXIF orientation block (either byte order) and an animation.
        using var photo = DigitImages.Render(TestData.Test.Image(3), scale: 2, darkOnLight: true).CloneAs<Rgb24>();
        switch (format)
        {
            case "jpeg":
                files.Add(UploadFiles.WithOrientation(UploadFiles.Jpeg(photo, 80), 6, bigEndian: false));
                files.Add(UploadFiles.WithOrientation(UploadFiles.Jpeg(photo, 80), 8, bigEndian: true));
                break;
            case "png":
                files.Add(UploadFiles.WithOrientation(UploadFiles.Png(photo), 3, bigEndian: true));
                break;
            case "webp":
                files.Add(UploadFiles.WithOrientation(UploadFiles.WebpLossy(photo, 80), 5, bigEndian: false));
                files.Add(UploadFiles.AnimatedWebp([UploadFiles.WebpLossy(photo, 80), UploadFiles.WebpLossless(photo)], photo.Width, photo.Height, 100));
                break;
        }
        return files;
    }

    public byte[] Next()
    {
        var bytes = (byte[])seeds[random.Next(seeds.Count)].Clone();
        var count = 1 + random.Next(3);
        for (var i = 0; i < count && bytes.Length > 0; i++) bytes = Mutate(bytes);
        if (IsPng(bytes) && random.Next(2) == 0) FixPngChecksums(bytes);
        return bytes;
    }

    private byte[] Mutate(byte[] bytes)
    {
        // Headers decide what a decoder allocates, so most mutations land in the first bytes.
        var position = random.Next(4) == 0 ? random.Next(bytes.Length) : random.Next(Math.Min(bytes.Length, 96));
        switch (random.Next(8))
        {
            case 0:
                bytes[position] ^= (byte)(1 << random.Next(8));
                return bytes;
            case 1:
                bytes[position] = (byte)Interesting[random.Next(6)];
                return bytes;
            case 2 when position + 4 <= bytes.Length:
                var value = Interesting[random.Next(Interesting.Length)];
                if (random.Next(2) == 0) BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(position), value);
                else BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(position), value);
                return bytes;
            case 3 when position + 2 <= bytes.Length:
                var word = (ushort)Interesting[random.Next(12)];
                if (random.Next(2) == 0) BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(position), word);
                else BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(position), word);
                return bytes;
            case 4:
                return bytes[..Math.Max(1, random.Next(bytes.Length))];
            case 5:
                var length = random.Next(1, Math.Max(2, Math.Min(256, bytes.Length - position)));
                var copy = bytes.AsSpan(position, Math.Min(length, bytes.Length - position)).ToArray();
                var at = random.Next(bytes.Length);
                return [.. bytes.AsSpan(0, at), .. copy, .. bytes.AsSpan(at)];
            case 6 when bytes.Length > 2:
                var cut = random.Next(1, Math.Max(2, Math.Min(64, bytes.Length - position)));
                return [.. bytes.AsSpan(0, position), .. bytes.AsSpan(Math.Min(bytes.Length, position + cut))];
            default:
                var other = seeds[random.Next(seeds.Count)];
                var from = random.Next(other.Length);
                var span = Math.Min(other.Length - from, random.Next(1, 512));
                var into = random.Next(bytes.Length);
                var spliced = (byte[])bytes.Clone();
                other.AsSpan(from, Math.Min(span, spliced.Length - into)).CopyTo(spliced.AsSpan(into));
                return spliced;
        }
    }

    private static bool IsPng(byte[] bytes) => bytes.Length > 8 && bytes[0] == 0x89 && bytes[1] == (byte)'P';

    private static void FixPngChecksums(byte[] bytes)
    {
        var offset = 8;
        while (offset + 12 <= bytes.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(offset));
            if (length > (uint)(bytes.Length - offset - 12)) return;
            var typed = bytes.AsSpan(offset + 4, 4 + (int)length);
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(offset + 8 + (int)length), Crc32(typed));
            offset += 12 + (int)length;
        }
    }

    internal static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }
}
