using System.Buffers;
using System.Runtime.InteropServices;

namespace MnistEvents.Imaging;

/// <summary>
/// The ink's connected pieces (8-neighbour), and which of them are the digit: the piece with the most ink, and the
/// pieces close enough to it to be its other strokes (a 4 or a 5 written in two strokes, a stroke a rule cut).
/// Specks, stray marks and whatever is left of the paper's structure elsewhere are not.
/// </summary>
internal sealed class InkComponents
{
    // Pieces within this share of the digit's size from it are its strokes (a pen that skips leaves gaps of a third of it).
    private const double Reach = 0.3;

    // A piece elsewhere with at least this share of the digit's ink is a separate mark worth a warning.
    private const double MarkShare = 0.15;

    // A piece this many times longer than it is wide that runs over half the image, or a hairline over a third of it, is
    // a seam a page's edge or a shadow's left, not writing (a 1 that thin and that long is rare, and is still read when
    // it is the only ink there is). A drawing with no paper has no such seams.
    private const double SeamElongation = 12;
    private const double SeamReach = 0.5;
    private const double HairlineElongation = 30;
    private const double HairlineReach = 0.3;

    // How much a piece that touches the image's border counts when choosing the digit's main piece.
    private const float BorderWeight = 0.5f;

    // A piece larger than this many times the digit's largest piece is not one of its strokes but a line or an edge passing by.
    private const double LargestStrokeShare = 1.6;

    private readonly int width, height;
    private readonly bool onPaper;

    private bool IsSeam(InkComponent p) => onPaper && (Reaches(p, SeamElongation, SeamReach) || Reaches(p, HairlineElongation, HairlineReach));

    private bool Reaches(InkComponent p, double elongation, double reach) =>
        p.Elongation > elongation && (p.Width >= reach * width || p.Height >= reach * height);

    private InkComponents(int[] labels, List<InkComponent> pieces, int width, int height, bool onPaper)
    {
        Labels = labels;
        Pieces = pieces;
        this.width = width;
        this.height = height;
        this.onPaper = onPaper;
    }

    /// <summary>
    /// Per pixel, the label of its piece (index into <see cref="Pieces"/> plus one), or 0 for no ink; taken from
    /// <see cref="Scratch{T}"/>, for the caller to give back when done with it.
    /// </summary>
    public int[] Labels { get; }

    public List<InkComponent> Pieces { get; }

    /// <summary>
    /// Labels the set pixels of <paramref name="mask"/>, measuring each piece's ink in <paramref name="strength"/>, whether
    /// it holds a <paramref name="seed"/> pixel, and what of it lies <paramref name="beyond"/> the page; whether the
    /// image is a page (<paramref name="onPaper"/>) or a drawing on a transparent canvas.
    /// </summary>
    public static InkComponents Find(bool[] mask, float[] strength, bool[] seed, bool[] beyond, int width, int height, bool onPaper)
    {
        var labels = Scratch<int>.Take(mask.Length);
        var pieces = new List<InkComponent>();
        // Ink not yet in a piece, with a blank border a pixel wide: every pixel then has eight neighbours to look at, and
        // looking is one read. A pixel (x, y) is at i = y·width + x in the image and at i + 2y + paddedWidth + 1 here.
        var paddedWidth = width + 2;
        var open = ArrayPool<byte>.Shared.Rent(paddedWidth * (height + 2));
        try
        {
            open.AsSpan(0, paddedWidth).Clear();
            open.AsSpan((height + 1) * paddedWidth, paddedWidth).Clear();
            for (var y = 0; y < height; y++)
            {
                var row = open.AsSpan((y + 1) * paddedWidth, paddedWidth);
                row[0] = row[^1] = 0;
                MemoryMarshal.AsBytes(mask.AsSpan(y * width, width)).CopyTo(row[1..]);
            }
            // The neighbours in the order the first version's loops over rows, then columns, visited them: the walk, and the
            // sum of a piece's ink along it, stay the same to the bit.
            ReadOnlySpan<int> aroundX = [-1, 0, 1, -1, 1, -1, 0, 1];
            ReadOnlySpan<int> aroundY = [-1, -1, -1, 0, 0, 1, 1, 1];
            Span<int> step = stackalloc int[8];
            Span<int> paddedStep = stackalloc int[8];
            for (var k = 0; k < 8; k++)
            {
                step[k] = aroundY[k] * width + aroundX[k];
                paddedStep[k] = aroundY[k] * paddedWidth + aroundX[k];
            }
            // A stack of pixel indices with their column and row (dividing each index by the width, every pixel of ink paid
            // two divisions), grown as a piece needs (a piece is rarely a large part of the image).
            var stack = new (int Index, int X, int Y)[1024];
            var anyBeyond = beyond.Length > 0;
            // Each piece starts at its first pixel in the order rows, then columns, hold them: the next ink not yet in a piece,
            // looked for many pixels at a time.
            var inside = open.AsSpan(0, (height + 1) * paddedWidth);
            for (var from = paddedWidth; ;)
            {
                var next = inside[from..].IndexOf((byte)1);
                if (next < 0) break;
                from += next;
                int startX = from % paddedWidth - 1, startY = from / paddedWidth - 1, start = startY * width + startX;
                var label = pieces.Count + 1;
                int count = 0, left = width, top = height, right = -1, bottom = -1, outside = 0, depth = 0;
                float mass = 0;
                var seeded = false;
                open[from] = 0;
                stack[depth++] = (start, startX, startY);
                while (depth > 0)
                {
                    var (i, x, y) = stack[--depth];
                    count++;
                    mass += Math.Max(0, strength[i]);
                    seeded |= seed[i];
                    if (x < left) left = x;
                    if (x > right) right = x;
                    if (y < top) top = y;
                    if (y > bottom) bottom = y;
                    if (anyBeyond && beyond[i]) outside++;
                    if (depth + 8 > stack.Length) Array.Resize(ref stack, 2 * stack.Length);
                    labels[i] = label;
                    var padded = i + 2 * y + paddedWidth + 1;
                    for (var k = 0; k < 8; k++)
                    {
                        if (open[padded + paddedStep[k]] == 0) continue;
                        open[padded + paddedStep[k]] = 0;
                        stack[depth++] = (i + step[k], x + aroundX[k], y + aroundY[k]);
                    }
                }
                pieces.Add(new InkComponent(label, count, mass, seeded, left, top, right, bottom, outside));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(open);
        }
        return new InkComponents(labels, pieces, width, height, onPaper);
    }

    /// <summary>
    /// The digit's pieces among the seeded ones (pieces with no seed are paper texture, never ink), and how many other
    /// marks of note there are; null when no piece is seeded.
    /// </summary>
    /// <returns>Per label (index), whether that piece is the digit's; the box around the digit's pieces (inclusive); the count of other marks.</returns>
    public (bool[] Digit, (int Left, int Top, int Right, int Bottom) Box, int OtherMarks)? Digit((int Left, int Top, int Right, int Bottom)? anchor = null)
    {
        var candidates = Pieces.Where(p => p.Seeded && p.BeyondThePage < p.Pixels / 2 && !IsSeam(p)
            && (anchor is not { } a || p.Touches(a.Left, a.Top, a.Right, a.Bottom))).ToList();
        // A digit written to the very edge of the page, or a page that is all desk by that rule: the rule stands aside.
        if (candidates.Count == 0) candidates = Pieces.Where(p => p.Seeded && (anchor is not { } b || p.Touches(b.Left, b.Top, b.Right, b.Bottom))).ToList();
        if (candidates.Count == 0) return null;
        // People write inside the frame: a piece cut by the border is more likely the desk's or the page's edge.
        var main = candidates.MaxBy(p => p.TouchesBorder(width, height) ? BorderWeight * p.Mass : p.Mass)!;
        var digit = new bool[Pieces.Count + 1];
        digit[main.Label] = true;
        int left = main.Left, top = main.Top, right = main.Right, bottom = main.Bottom;
        var mass = main.Mass;
        // The digit's other strokes may be weaker than any seed (lighter pressure, a deeper shadow): near it, pieces with
        // a good share of its ink count even unseeded; seeded ones need less.
        var near = Pieces.Where(p => (p.Seeded ? 0.02f : 0.08f) * main.Mass <= p.Mass && p.BeyondThePage < p.Pixels / 2 && !IsSeam(p)).ToList();
        var isNear = new bool[Pieces.Count + 1];
        foreach (var p in near) isNear[p.Label] = true;
        for (var grown = true; grown;)
        {
            grown = false;
            var margin = (int)Math.Ceiling(Reach * Math.Max(right - left + 1, bottom - top + 1));
            foreach (var piece in candidates.Concat(near))
            {
                if (digit[piece.Label]) continue;
                var inside = piece.Left >= left && piece.Right <= right && piece.Top >= top && piece.Bottom <= bottom;
                // Near the digit, only pieces with some ink of their own: noise specks there would only widen the crop.
                if (!inside && (!isNear[piece.Label] || !piece.Touches(left - margin, top - margin, right + margin, bottom + margin))) continue;
                if (Math.Max(piece.Width, piece.Height) > LargestStrokeShare * Math.Max(main.Width, main.Height)) continue;
                digit[piece.Label] = true;
                mass += piece.Mass;
                (left, top, right, bottom) = (Math.Min(left, piece.Left), Math.Min(top, piece.Top), Math.Max(right, piece.Right), Math.Max(bottom, piece.Bottom));
                grown = true;
            }
        }
        // Marks a person made: as much ink as a good part of the digit, as dark as it, inside the frame (what the border cuts
        // is the desk's or the page's edge more often than writing).
        var pixels = Pieces.Where(p => digit[p.Label]).Sum(p => p.Pixels);
        var others = candidates.Count(p => !digit[p.Label] && p.Mass >= MarkShare * mass && !p.TouchesBorder(width, height)
            && p.Mass / p.Pixels >= 0.7f * mass / pixels);
        return (digit, (left, top, right, bottom), others);
    }
}
