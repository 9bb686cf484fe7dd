using System.Buffers.Binary;

namespace MnistEvents.Imaging;

/// <summary>
/// ImageSharp 2.1 refuses animated WebP outright. Like an animated GIF, one is classified by its first frame: that
/// frame's bitstream (VP8 or VP8L, with its ALPH chunk if any) sits in the first ANMF chunk of the RIFF container, and
/// re-wrapped as a still WebP it decodes through the same checks and budgets as any other upload.
/// </summary>
public static class AnimatedWebp
{
    private const byte AnimationFlag = 0x02;
    private const byte AlphaFlag = 0x10;
    private const int FrameHeader = 16;

    /// <summary>The first frame as a still WebP file, or null when <paramref name="webp"/> is not animated.</summary>
    /// <exception cref="ImageRejectedException">The container is animated but its chunks do not hold a frame.</exception>
    public static byte[]? FirstFrame(ReadOnlySpan<byte> webp)
    {
        if (webp.Length < 30 || !webp[12..].StartsWith("VP8X"u8) || (webp[20] & AnimationFlag) == 0) return null;
        for (var at = 12; at + 8 <= webp.Length;)
        {
            var (body, size, next) = Chunk(webp, at);
            if (webp.Slice(at, 4).SequenceEqual("ANMF"u8)) return Still(webp.Slice(body, size));
            at = next;
        }
        throw Damaged("it is animated but has no frames.");
    }

    private static byte[] Still(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < FrameHeader) throw Damaged("its first animation frame is cut short.");
        var width = 1 + ReadUInt24(frame[6..]);
        var height = 1 + ReadUInt24(frame[9..]);
        ReadOnlySpan<byte> alpha = default;
        for (var at = FrameHeader; at + 8 <= frame.Length;)
        {
            var (_, _, next) = Chunk(frame, at);
            var type = frame.Slice(at, 4);
            var whole = frame[at..next];
            if (type.SequenceEqual("ALPH"u8)) alpha = whole;
            else if (type.SequenceEqual("VP8L"u8)) return Riff([], whole);
            else if (type.SequenceEqual("VP8 "u8)) return alpha.IsEmpty ? Riff([], whole) : Riff(Vp8x(width, height), [.. alpha, .. whole]);
            at = next;
        }
        throw Damaged("its first animation frame holds no image.");
    }

    /// <summary>The chunk at <paramref name="at"/>: where its body starts, its size, and where the next chunk starts (bodies are padded to even sizes).</summary>
    private static (int Body, int Size, int Next) Chunk(ReadOnlySpan<byte> data, int at)
    {
        var size = BinaryPrimitives.ReadUInt32LittleEndian(data[(at + 4)..]);
        if (size > (uint)(data.Length - at - 8)) throw Damaged("a chunk runs past the end of the file.");
        var next = at + 8 + (int)size;
        return (at + 8, (int)size, Math.Min(data.Length, next + (int)(size & 1)));
    }

    private static byte[] Vp8x(int width, int height)
    {
        var chunk = new byte[18];
        "VP8X"u8.CopyTo(chunk);
        BinaryPrimitives.WriteUInt32LittleEndian(chunk.AsSpan(4), 10);
        chunk[8] = AlphaFlag;
        WriteUInt24(chunk.AsSpan(12), width - 1);
        WriteUInt24(chunk.AsSpan(15), height - 1);
        return chunk;
    }

    private static byte[] Riff(ReadOnlySpan<byte> header, ReadOnlySpan<byte> chunks)
    {
        var file = new byte[12 + header.Length + chunks.Length];
        "RIFF"u8.CopyTo(file);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), (uint)(file.Length - 8));
        "WEBP"u8.CopyTo(file.AsSpan(8));
        header.CopyTo(file.AsSpan(12));
        chunks.CopyTo(file.AsSpan(12 + header.Length));
        return file;
    }

    private static int ReadUInt24(ReadOnlySpan<byte> at) => at[0] | at[1] << 8 | at[2] << 16;

    private static void WriteUInt24(Span<byte> at, int value)
    {
        at[0] = (byte)value;
        at[1] = (byte)(value >> 8);
        at[2] = (byte)(value >> 16);
    }

    private static ImageRejectedException Damaged(string why) => new(ImageRejection.NotAnImage, $"The WebP file is damaged: {why}");
}
