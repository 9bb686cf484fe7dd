using System.Runtime.Intrinsics;

namespace MnistEvents.Imaging;

/// <summary>
/// A pixel's ink strength against the paper under it (<see cref="InkMap"/>'s measure): the share of the paper's light
/// the ink takes in luminance, raised up to what it takes in the channel it absorbs most by at most
/// <see cref="ColourGain"/>, clamped to −1..1. Eight pixels at a time, in the same order of operations as one at a
/// time, so each value is the same to the bit: a vector's products, sums and divisions round as the scalar ones do,
/// and its Max and Min order −0 and NaN as Math.Max and Math.Min do.
/// </summary>
/// <param name="TintR">The paper's red as a share of its luminance (so for green and blue).</param>
/// <param name="Brightest">The largest of the three shares.</param>
/// <param name="Flip">0 for dark ink on light paper; 255 to measure light ink on a dark ground on the inverted image.</param>
internal readonly record struct InkStrength(float TintR, float TintG, float TintB, float Brightest, int Flip)
{
    // A pen's colour may add at most this much to what its darkness alone gives: a blue, red or green pen then reads
    // as strongly as black (their darkness alone is 0.6-0.7 of black's), while the colour JPEG smears a few pixels
    // around every coloured stroke (chroma is stored at half resolution), with almost no darkness there, adds nothing.
    private const float ColourGain = 1.5f;

    /// <summary>
    /// One row: <paramref name="pixels"/> as packed RGBA, the paper interpolated across the grid rows above and below it
    /// (<paramref name="above"/>, <paramref name="below"/>), <paramref name="down"/> of the way from one to the other.
    /// </summary>
    public void Row(ReadOnlySpan<uint> pixels, ReadOnlySpan<float> above, ReadOnlySpan<float> below, float down, Span<float> strength)
    {
        var rest = 1 - down;
        var x = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<uint> channel = Vector256.Create(0xFFu);
            Vector256<int> flip = Vector256.Create(Flip);
            Vector256<float> tintR = Vector256.Create(TintR), tintG = Vector256.Create(TintG), tintB = Vector256.Create(TintB);
            Vector256<float> brightest = Vector256.Create(Brightest), least = Vector256.Create(0.04f), full = Vector256.Create(255f);
            for (; x + Vector256<float>.Count <= strength.Length; x += Vector256<float>.Count)
            {
                var paper = Vector256.Create(above.Slice(x, Vector256<float>.Count)) * rest + Vector256.Create(below.Slice(x, Vector256<float>.Count)) * down;
                var packed = Vector256.Create(pixels.Slice(x, Vector256<uint>.Count));
                var r = Vector256.ConvertToSingle(Vector256.Abs(flip - (packed & channel).AsInt32())) / full;
                var g = Vector256.ConvertToSingle(Vector256.Abs(flip - ((packed >>> 8) & channel).AsInt32())) / full;
                var b = Vector256.ConvertToSingle(Vector256.Abs(flip - ((packed >>> 16) & channel).AsInt32())) / full;
                var inChannel = Vector256.Max(paper * tintR - r, Vector256.Max(paper * tintG - g, paper * tintB - b)) / Vector256.Max(least, paper * brightest);
                var inLuminance = (paper - (0.299f * r + 0.587f * g + 0.114f * b)) / Vector256.Max(least, paper);
                Vector256.Min(Vector256.Max(Vector256.Max(inLuminance, Vector256.Min(inChannel, ColourGain * inLuminance)), Vector256.Create(-1f)), Vector256<float>.One)
                    .CopyTo(strength.Slice(x));
            }
        }
        for (; x < strength.Length; x++)
            strength[x] = Of(pixels[x], above[x] * rest + below[x] * down);
    }

    /// <summary>One pixel (packed RGBA) on paper of brightness <paramref name="paper"/>.</summary>
    public float Of(uint pixel, float paper)
    {
        float r = Math.Abs(Flip - (int)(pixel & 0xFF)) / 255f, g = Math.Abs(Flip - (int)((pixel >> 8) & 0xFF)) / 255f, b = Math.Abs(Flip - (int)((pixel >> 16) & 0xFF)) / 255f;
        var inChannel = Math.Max(paper * TintR - r, Math.Max(paper * TintG - g, paper * TintB - b)) / Math.Max(0.04f, paper * Brightest);
        var inLuminance = (paper - (0.299f * r + 0.587f * g + 0.114f * b)) / Math.Max(0.04f, paper);
        return Math.Clamp(Math.Max(inLuminance, Math.Min(inChannel, ColourGain * inLuminance)), -1, 1);
    }
}
