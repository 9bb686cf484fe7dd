using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MnistEvents.Imaging;

/// <summary>
/// The digit's own ink in an <see cref="InkMap"/>: <see cref="Values"/> 0..1 per pixel of its box (left, top, right,
/// bottom in the map, inclusive), 0 where it is not the digit's. Ink is what is strong enough to stand out
/// of the paper's noise (hysteresis: pieces reaching a high threshold, grown over a low one), with the paper's lines
/// removed (<see cref="PaperLines"/>), and only the pieces that make the digit (<see cref="InkComponents"/>).
/// </summary>
internal sealed record DigitInk(float[] Values, int Left, int Top, int Right, int Bottom, float Contrast, float SignalToNoise, int OtherMarks)
{
    // A pixel of the digit's pieces is its stroke when at least this share as strong as the digit's typical stroke.
    private const float StrokeShare = 0.35f;

    // A digit whose typical stroke is weaker than this share of the image's strongest ink is looked at again on its own;
    // a digit's typical stroke is about this share of its strongest.
    private const float WeakerDigit = 0.6f;
    private const float TypicalCore = 0.85f;

    // Eight bools, all true, read as one number.
    private const ulong AllNear = 0x0101010101010101;

    public int Width => Right - Left + 1;

    public int Height => Bottom - Top + 1;

    public static DigitInk Find(InkMap map)
    {
        var rise = map.Peak - map.Background;
        if (rise < Math.Max(0.1f, 4 * map.Noise))
            throw new ImageRejectedException(ImageRejection.NoDigit, "No digit found: the image is blank or too faint.");
        var first = Find(map, rise, (0, 0, map.Width - 1, map.Height - 1), anchor: null);
        // The strongest ink in the image was not the digit's (the desk's edge, a dark mark): its strokes were measured
        // against a standard they do not reach, and weaker parts of them may be missing. Look again, around it only,
        // against its own strength.
        if (first.Contrast >= WeakerDigit * rise) return first;
        var margin = Math.Max(first.Width, first.Height) / 2;
        var around = (Math.Max(0, first.Left - margin), Math.Max(0, first.Top - margin), Math.Min(map.Width - 1, first.Right + margin), Math.Min(map.Height - 1, first.Bottom + margin));
        return Find(map, first.Contrast / TypicalCore, around, anchor: (first.Left, first.Top, first.Right, first.Bottom));
    }

    /// <param name="anchor">When looking again: where the digit was found, which its main piece must touch.</param>
    private static DigitInk Find(InkMap map, float rise, (int Left, int Top, int Right, int Bottom) region, (int Left, int Top, int Right, int Bottom)? anchor)
    {
        // Relative to the strongest ink, so faint lines, texture and shadow edges fall below; never inside the noise.
        var seed = map.Background + Math.Max(0.45f * rise, 5 * map.Noise);
        var grow = map.Background + Math.Max(0.2f * rise, 3 * map.Noise);
        if (seed >= map.Background + rise) seed = map.Background + 0.8f * rise;
        if (grow >= seed) grow = map.Background + 0.5f * (seed - map.Background);

        // Per pixel, never inside the local noise (the desk's grain is rougher than the page), never below the low
        // threshold: a pixel is ink at or above the higher of the two, and the noise is the same along a row within each
        // of its blocks, so each block's stretch of a row is compared many pixels at a time. Nothing outside the ink's box
        // (a transparent image's drawn part) can be ink.
        var mask = Scratch<bool>.Take(map.Smooth.Length);
        var seeded = Scratch<bool>.Take(map.Smooth.Length);
        int regionLeft = Math.Max(region.Left, map.InkBox.Left), regionRight = Math.Min(region.Right, map.InkBox.Right);
        for (var y = Math.Max(region.Top, map.InkBox.Top); y <= Math.Min(region.Bottom, map.InkBox.Bottom); y++)
        for (var x = regionLeft; x <= regionRight;)
        {
            var end = Math.Min(regionRight + 1, map.NoiseRunEnd(x));
            var noise = map.NoiseAt(x, y);
            var stretch = map.Smooth.AsSpan(y * map.Width + x, end - x);
            AtLeast(stretch, Math.Max(grow, map.Background + 3 * noise), mask.AsSpan(y * map.Width + x, end - x));
            AtLeast(stretch, Math.Max(grow, Math.Max(seed, map.Background + 5 * noise)), seeded.AsSpan(y * map.Width + x, end - x));
            x = end;
        }
        // A transparent image has no paper, so nothing of the paper's to remove.
        var unlined = map.Transparent ? mask : (bool[])mask.Clone();
        var lines = map.Transparent ? new List<PaperLine>() : PaperLines.Remove(unlined, map.Width, map.Height);
        var beyond = map.Transparent ? [] : BeyondThePage.Find(map, grow, mask, unlined, lines);
        var components = InkComponents.Find(lines.Count > 0 ? unlined : mask, map.Smooth, seeded, beyond, map.Width, map.Height, !map.Transparent);
        var digit = components.Digit(anchor);
        if (digit is null && lines.Count > 0)
        {
            // Lines that were all the ink there was were the digit (a 1 filling the frame is straight and long).
            Scratch<int>.Give(components.Labels);
            components = InkComponents.Find(mask, map.Smooth, seeded, beyond, map.Width, map.Height, !map.Transparent);
            digit = components.Digit(anchor);
        }
        if (digit is null) throw new ImageRejectedException(ImageRejection.NoDigit, "No digit found: the image is blank or too faint.");

        // The digit's strokes are as strong as its strongest part: what its pieces took in that is much weaker (a shadow's
        // edge, light falling off, a halo of JPEG noise) merely touched them.
        var (isDigit, (pieceLeft, pieceTop, pieceRight, pieceBottom), otherMarks) = digit.Value;
        var labels = components.Labels;
        var strong = new List<float>();
        for (var y = pieceTop; y <= pieceBottom; y++)
        {
            var row = y * map.Width;
            var seededRow = seeded.AsSpan(row + pieceLeft, pieceRight - pieceLeft + 1);
            for (var x = 0; x < seededRow.Length;)
            {
                // Thirty-two pixels with no seed among them are passed over at once.
                if (x + 32 <= seededRow.Length && Vector256.Create<byte>(MemoryMarshal.AsBytes(seededRow.Slice(x, 32))) == Vector256<byte>.Zero)
                {
                    x += 32;
                    continue;
                }
                for (var end = Math.Min(seededRow.Length, x + 32); x < end; x++)
                    if (seededRow[x] && isDigit[labels[row + pieceLeft + x]]) strong.Add(map.Smooth[row + pieceLeft + x]);
            }
        }
        // At least the seeds themselves (all at or above it) stay, so the digit is never left empty.
        var core = Histogram.Percentile(strong.ToArray(), 0.5f);
        var keep = Math.Max(grow, map.Background + StrokeShare * (core - map.Background));

        int left = map.Width, top = map.Height, right = -1, bottom = -1;
        var inDigit = Scratch<bool>.Take(mask.Length);
        var keeping = Vector256.Create(keep);
        for (var y = pieceTop; y <= pieceBottom; y++)
        {
            var row = map.Smooth.AsSpan(y * map.Width, map.Width);
            for (var x = pieceLeft; x <= pieceRight;)
            {
                if (x + Vector256<float>.Count <= pieceRight + 1
                    && !Vector256.GreaterThanOrEqualAny(Vector256.Create<float>(row.Slice(x, Vector256<float>.Count)), keeping))
                {
                    x += Vector256<float>.Count;
                    continue;
                }
                for (var end = Math.Min(pieceRight + 1, x + Vector256<float>.Count); x < end; x++)
                {
                    var i = y * map.Width + x;
                    if (row[x] < keep || !isDigit[labels[i]]) continue;
                    inDigit[i] = true;
                    left = Math.Min(left, x); right = Math.Max(right, x);
                    top = Math.Min(top, y); bottom = Math.Max(bottom, y);
                }
            }
        }
        var floor = map.Background + 2 * map.Noise;
        if (core <= floor) core = floor + 0.05f;

        // The digit's pixels, and a ring around them so the strokes keep their antialiased edges: a pixel or so of the
        // image per 30 of the digit's size, as wide as a soft edge is at that size.
        var ring = Math.Max(1, (int)Math.Round(Math.Max(right - left + 1, bottom - top + 1) / 30.0));
        (left, top, right, bottom) = (Math.Max(0, left - ring), Math.Max(0, top - ring), Math.Min(map.Width - 1, right + ring), Math.Min(map.Height - 1, bottom + ring));
        int boxWidth = right - left + 1, boxHeight = bottom - top + 1;
        var (near, nearStride) = Dilate(inDigit, map.Width, left, top, boxWidth, boxHeight, ring);
        // The per-pixel arrays end here (unlined is mask itself on a transparent image, or a copy of it).
        Scratch<bool>.Give(mask);
        Scratch<bool>.Give(seeded);
        Scratch<bool>.Give(inDigit);
        Scratch<int>.Give(labels);
        var values = new float[boxWidth * boxHeight];
        var scale = 1 / (core - floor);
        for (var y = 0; y < boxHeight; y++)
        {
            var nearRow = near.AsSpan(y * nearStride, boxWidth);
            var strength = map.Strength.AsSpan((top + y) * map.Width + left, boxWidth);
            var valueRow = values.AsSpan(y * boxWidth, boxWidth);
            for (var x = 0; x < boxWidth;)
            {
                // Eight pixels none of which is near the digit stay 0; eight that all are, are scaled together (clamped as
                // Math.Clamp does: the value is never NaN, and never −0, since the floor is above 0).
                if (x + 8 <= boxWidth && MemoryMarshal.Read<ulong>(MemoryMarshal.AsBytes(nearRow.Slice(x, 8))) is var eight and (0 or AllNear))
                {
                    if (eight == AllNear)
                        Vector256.MinNative(Vector256.MaxNative((Vector256.Create(strength.Slice(x, 8)) - Vector256.Create(floor)) * Vector256.Create(scale), Vector256<float>.Zero), Vector256<float>.One)
                            .CopyTo(valueRow.Slice(x));
                    x += 8;
                    continue;
                }
                for (var end = Math.Min(boxWidth, x + 8); x < end; x++)
                    if (nearRow[x]) valueRow[x] = Math.Clamp((strength[x] - floor) * scale, 0, 1);
            }
        }
        return new DigitInk(values, left, top, right, bottom, core - map.Background, (core - map.Background) / map.Noise, otherMarks);
    }

    /// <summary>Whether each value is at least <paramref name="threshold"/>: 32 at a time, then one by one.</summary>
    internal static void AtLeast(ReadOnlySpan<float> values, float threshold, Span<bool> result)
    {
        var bytes = MemoryMarshal.AsBytes(result);
        var least = Vector256.Create(threshold);
        var x = 0;
        for (; x + 32 <= values.Length; x += 32)
        {
            // Each comparison is all ones or all zeros in its lane; narrowed to bytes, and to 1 or 0, it is a bool.
            static Vector256<int> Compare(ReadOnlySpan<float> eight, Vector256<float> least) =>
                Vector256.GreaterThanOrEqual(Vector256.Create(eight), least).AsInt32();
            var answers = Vector256.Narrow(
                Vector256.Narrow(Compare(values.Slice(x, 8), least), Compare(values.Slice(x + 8, 8), least)),
                Vector256.Narrow(Compare(values.Slice(x + 16, 8), least), Compare(values.Slice(x + 24, 8), least)));
            (answers.AsByte() & Vector256<byte>.One).CopyTo(bytes.Slice(x));
        }
        for (; x < values.Length; x++) result[x] = values[x] >= threshold;
    }

    /// <summary>
    /// The set, within the box, grown by <paramref name="radius"/> (a square): pixel (x, y) of the box is at
    /// y × Stride + x. Rows, then columns, each pixel the OR of the window of 2·radius + 1 around it. Each row is laid out
    /// between radius blank pixels on each side, and the box between radius blank rows above and below, so a window
    /// clipped by the box's edge sees blanks there, and both passes run over the whole mask at once, many pixels at a
    /// time (what spills past a row's end lands in its padding, never in the box). The window is built by doubling: OR
    /// with itself shifted by 1, 2, 4…, then once more for the rest, a few ORs however large the radius.
    /// </summary>
    internal static (bool[] Mask, int Stride) Dilate(bool[] set, int width, int left, int top, int boxWidth, int boxHeight, int radius)
    {
        var window = 2 * radius + 1;
        var stride = boxWidth + 2 * radius;
        var grown = new bool[stride * (boxHeight + 2 * radius)];
        for (var y = 0; y < boxHeight; y++)
            set.AsSpan((top + y) * width + left, boxWidth).CopyTo(grown.AsSpan((y + radius) * stride + radius));
        var bytes = MemoryMarshal.AsBytes(grown.AsSpan());
        Forward(bytes, 1, window);
        Forward(bytes, stride, window);
        return (grown, stride);
    }

    /// <summary>Each unit (a pixel, or a row of <paramref name="unit"/> pixels) ORed with the ones after it, <paramref name="window"/> in all (fewer at the end).</summary>
    private static void Forward(Span<byte> mask, int unit, int window)
    {
        var length = 1;
        for (; 2 * length <= window; length *= 2) OrShifted(mask, length * unit);
        if (length < window) OrShifted(mask, (window - length) * unit);
    }

    /// <summary>mask[i] |= mask[i + shift], in increasing i: each reads a value not yet changed.</summary>
    private static void OrShifted(Span<byte> mask, int shift)
    {
        var count = mask.Length - shift;
        var i = 0;
        // A block's later values are read before its earlier ones are written, and no block writes what a later one reads.
        for (; i + Vector256<byte>.Count <= count; i += Vector256<byte>.Count)
            (Vector256.Create<byte>(mask.Slice(i, Vector256<byte>.Count)) | Vector256.Create<byte>(mask.Slice(i + shift, Vector256<byte>.Count))).CopyTo(mask.Slice(i));
        for (; i < count; i++) mask[i] |= mask[i + shift];
    }
}
