namespace MnistEvents.Imaging;

/// <summary>
/// The ink's connected pieces (8-neighbour), and which of them are the digit: the piece with the most ink, and the
/// pieces close enough to it to be its other strokes (a 4 or a 5 written in two strokes, a stroke a rule cut).
/// Specks, stray marks and whatever is left of the paper's structure elsewhere are not.
/// </summary>
internal sealed class InkComponents
{
    // Pieces within this share of the digit's size from it are its strokes.
    private const double Reach = 0.3;

    // A piece elsewhere with at least this share of the digit's ink is a separate mark worth a warning.
    private const double MarkShare = 0.15;

    // How much a piece that touches the image's border counts when choosing the digit's main piece.
    private const float BorderWeight = 0.5f;

    // A piece larger than this many times the digit's largest piece is not one of its strokes but a line or an edge passing by.
    private const double LargestStrokeShare = 1.6;

    private readonly int width, height;

    private InkComponents(int[] labels, List<InkComponent> pieces, int width, int height)
    {
        Labels = labels;
        Pieces = pieces;
        this.width = width;
        this.height = height;
    }

    /// <summary>Per pixel, the label of its piece (index into <see cref="Pieces"/> plus one), or 0 for no ink.</summary>
    public int[] Labels { get; }

    public List<InkComponent> Pieces { get; }

    /// <summary>
    /// Labels the set pixels of <paramref name="mask"/>, measuring each piece's ink in <paramref name="strength"/>, whether
    /// it holds a <paramref name="seed"/> pixel, and what of it lies <paramref name="beyond"/> the page.
    /// </summary>
    public static InkComponents Find(bool[] mask, float[] strength, bool[] seed, bool[] beyond, int width, int height)
    {
        var labels = new int[mask.Length];
        var pieces = new List<InkComponent>();
        var stack = new Stack<int>();
        for (var start = 0; start < mask.Length; start++)
        {
            if (!mask[start] || labels[start] != 0) continue;
            var label = pieces.Count + 1;
            int count = 0, left = width, top = height, right = -1, bottom = -1, outside = 0;
            float mass = 0;
            var seeded = false;
            labels[start] = label;
            stack.Push(start);
            while (stack.Count > 0)
            {
                var i = stack.Pop();
                int x = i % width, y = i / width;
                count++;
                mass += Math.Max(0, strength[i]);
                seeded |= seed[i];
                left = Math.Min(left, x); right = Math.Max(right, x);
                top = Math.Min(top, y); bottom = Math.Max(bottom, y);
                if (beyond[i]) outside++;
                for (var ny = Math.Max(0, y - 1); ny <= Math.Min(height - 1, y + 1); ny++)
                for (var nx = Math.Max(0, x - 1); nx <= Math.Min(width - 1, x + 1); nx++)
                {
                    var n = ny * width + nx;
                    if (!mask[n] || labels[n] != 0) continue;
                    labels[n] = label;
                    stack.Push(n);
                }
            }
            pieces.Add(new InkComponent(label, count, mass, seeded, left, top, right, bottom, outside));
        }
        return new InkComponents(labels, pieces, width, height);
    }

    /// <summary>
    /// The digit's pieces among the seeded ones (pieces with no seed are paper texture, never ink), and how many other
    /// marks of note there are; null when no piece is seeded.
    /// </summary>
    public (HashSet<int> Digit, int OtherMarks)? Digit()
    {
        var candidates = Pieces.Where(p => p.Seeded && p.BeyondThePage < p.Pixels / 2).ToList();
        // A digit written to the very edge of the page, or a page that is all desk by that rule: the rule stands aside.
        if (candidates.Count == 0) candidates = Pieces.Where(p => p.Seeded).ToList();
        if (candidates.Count == 0) return null;
        // People write inside the frame: a piece cut by the border is more likely the desk's or the page's edge.
        var main = candidates.MaxBy(p => p.TouchesBorder(width, height) ? BorderWeight * p.Mass : p.Mass)!;
        var digit = new HashSet<int> { main.Label };
        int left = main.Left, top = main.Top, right = main.Right, bottom = main.Bottom;
        var mass = main.Mass;
        for (var grown = true; grown;)
        {
            grown = false;
            var margin = (int)Math.Ceiling(Reach * Math.Max(right - left + 1, bottom - top + 1));
            foreach (var piece in candidates)
            {
                if (digit.Contains(piece.Label)) continue;
                var inside = piece.Left >= left && piece.Right <= right && piece.Top >= top && piece.Bottom <= bottom;
                // Near the digit, only pieces with some ink of their own: noise specks there would only widen the crop.
                if (!inside && (piece.Mass < 0.02f * main.Mass || !piece.Touches(left - margin, top - margin, right + margin, bottom + margin))) continue;
                if (Math.Max(piece.Width, piece.Height) > LargestStrokeShare * Math.Max(main.Width, main.Height)) continue;
                digit.Add(piece.Label);
                mass += piece.Mass;
                (left, top, right, bottom) = (Math.Min(left, piece.Left), Math.Min(top, piece.Top), Math.Max(right, piece.Right), Math.Max(bottom, piece.Bottom));
                grown = true;
            }
        }
        var others = candidates.Count(p => !digit.Contains(p.Label) && p.Mass >= MarkShare * mass);
        return (digit, others);
    }
}
