namespace MnistEvents.Imaging;

/// <summary>
/// The lower envelope of the parabolas (x − q)² + f(q): for each x, min over q of f(q) + (x − q)², in linear time
/// (Felzenszwalb and Huttenlocher, "Distance Transforms of Sampled Functions"). Reused across lines of one image.
/// </summary>
internal sealed class Envelope(int capacity)
{
    private readonly int[] vertices = new int[capacity];
    private readonly double[] bounds = new double[capacity + 1];

    public void Transform(double[] f, double[] result, int n)
    {
        var k = 0;
        vertices[0] = 0;
        bounds[0] = double.NegativeInfinity;
        bounds[1] = double.PositiveInfinity;
        for (var q = 1; q < n; q++)
        {
            var s = Intersection(f, q, vertices[k]);
            while (s <= bounds[k])
            {
                k--;
                s = Intersection(f, q, vertices[k]);
            }
            k++;
            vertices[k] = q;
            bounds[k] = s;
            bounds[k + 1] = double.PositiveInfinity;
        }
        k = 0;
        for (var q = 0; q < n; q++)
        {
            while (bounds[k + 1] < q) k++;
            var d = q - vertices[k];
            result[q] = d * (double)d + f[vertices[k]];
        }
    }

    private static double Intersection(double[] f, int q, int p) => (f[q] + (double)q * q - (f[p] + (double)p * p)) / (2.0 * q - 2.0 * p);
}
