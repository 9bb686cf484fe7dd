namespace MnistEvents.Imaging.Profiles;

/// <summary>
/// What a live digit looks like to the model, measured on what it saw (28×28, white ink on black): how much ink, how
/// far it extends, where its centre of mass lies, how thick its strokes are; and what the model answered, the digit and
/// how sure it was. The edges sit near the deciles of MNIST's 60,000 training digits, with a bin or two beyond them each
/// side, so a shift either way moves counts between bins. MNIST centred each digit by its centre of mass and fitted it
/// in 20 pixels, and the gateway's preprocessing does the same to every upload, so nine in ten of its digits are 20 px
/// tall and all centred within half a pixel of the middle: only digits that bypassed that (a tensor sent as it is, a
/// batch from another producer) land in the outer bins of those three. That preprocessing also brings every upload's
/// strokes into MNIST's range (<c>StrokeWidth</c>: never under 1.3 px, where a twentieth of MNIST's are, and thinned from
/// above 3.1), which piles them up at its ends: the stroke bins are wide below 3.2 px, so everyday uploads do not read as
/// drift from MNIST for that alone, and fine above it, where a marker's strokes fall.
/// </summary>
public static class DigitFeatures
{
    private const int Side = 28;
    private const int HalfInk = 128;

    public static readonly ProfileFeature Ink = new("ink", "ink mass (pixels of full ink)", [45, 60, 73, 83, 91, 100, 109, 118, 130, 147, 180]);
    public static readonly ProfileFeature Width = new("width", "ink's width (px)", [8, 10, 12, 13.5, 15, 16.5, 18, 19.5, 21]);
    public static readonly ProfileFeature Height = new("height", "ink's height (px)", [12, 16, 18, 19.5, 20.5, 24]);
    public static readonly ProfileFeature CentreX = new("centreX", "centre of mass, across (px)", [12, 13, 13.75, 14, 14.25, 15, 16]);
    public static readonly ProfileFeature CentreY = new("centreY", "centre of mass, down (px)", [12, 13, 13.75, 14, 14.25, 15, 16]);
    public static readonly ProfileFeature Stroke = new("stroke", "stroke width (px)", [1.9, 2.2, 2.5, 3.2, 4, 5]);
    public static readonly ProfileFeature Digit = new("digit", "the digit answered", [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    public static readonly ProfileFeature Confidence = new("confidence", "the answer's confidence", [0.5, 0.7, 0.9, 0.99, 0.999, 0.9999]);

    /// <summary>Every feature, in the order an <see cref="Contracts.InputProfile"/> lists them.</summary>
    public static readonly IReadOnlyList<ProfileFeature> All = [Ink, Width, Height, CentreX, CentreY, Stroke, Digit, Confidence];

    /// <summary>How many of <see cref="All"/> are measured on the image (the rest are the model's answer).</summary>
    public const int ImageFeatures = 6;

    /// <summary>The image features of one 28×28 digit, in the order of <see cref="All"/>.</summary>
    public static void Measure(ReadOnlySpan<byte> image, Span<double> values)
    {
        if (image.Length != Side * Side) throw new ArgumentException($"a digit is {Side * Side} bytes, not {image.Length}", nameof(image));
        // Whole numbers (at most 784 × 255 × 27), so the sums are exact and the same as in floating point, without its cost per pixel.
        int mass = 0, sumX = 0, sumY = 0;
        int left = Side, right = -1, top = Side, bottom = -1;
        // On the stack: a replica measures every digit it answers, and a 3 KB array for each was garbage its GC then cleared pages for.
        Span<float> ink = stackalloc float[Side * Side];
        for (var y = 0; y < Side; y++)
        {
            var row = image.Slice(y * Side, Side);
            var rowMass = 0;
            for (var x = 0; x < Side; x++)
            {
                int value = row[x];
                ink[y * Side + x] = value / 255f;
                rowMass += value;
                sumX += value * x;
                if (value < HalfInk) continue;
                left = Math.Min(left, x);
                right = Math.Max(right, x);
                top = Math.Min(top, y);
                bottom = Math.Max(bottom, y);
            }
            mass += rowMass;
            sumY += rowMass * y;
        }
        const double middle = (Side - 1) / 2.0;
        values[0] = mass / 255.0;
        values[1] = right < 0 ? 0 : right - left + 1;
        values[2] = bottom < 0 ? 0 : bottom - top + 1;
        // An empty image has no centre: it is counted in the middle, and its zero ink mass tells it apart.
        values[3] = mass == 0 ? middle : (double)sumX / mass;
        values[4] = mass == 0 ? middle : (double)sumY / mass;
        values[5] = StrokeWidth.Measure(ink, Side, Side);
    }
}
