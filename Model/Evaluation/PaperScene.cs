using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace MnistEvents.Model.Evaluation;

/// <summary>
/// A page as a camera sees it, built in the order light works: the paper's reflectance (tint, texture, rules, the
/// desk beyond its edge, specks, ink), then the light falling on it (gradient, shadow, vignette), then the sensor
/// (noise, blur). Values are 0..1 per channel until <see cref="ToImage"/>.
/// </summary>
public sealed class PaperScene
{
    private readonly float[] r, g, b;

    public PaperScene(int width, int height, SceneColour paper)
    {
        Width = width;
        Height = height;
        r = new float[width * height];
        g = new float[width * height];
        b = new float[width * height];
        Array.Fill(r, paper.R);
        Array.Fill(g, paper.G);
        Array.Fill(b, paper.B);
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Fibres and unevenness: coarse random bumps, interpolated, scaling the reflectance by up to ±<paramref name="amplitude"/>.</summary>
    public void Texture(Random random, float amplitude, int cell)
    {
        var field = Field(random, cell);
        for (var i = 0; i < r.Length; i++)
        {
            var f = 1 + amplitude * field[i];
            r[i] *= f; g[i] *= f; b[i] *= f;
        }
    }

    /// <summary>
    /// A straight printed rule through (<paramref name="x0"/>, <paramref name="y0"/>) at <paramref name="degrees"/> from
    /// the horizontal (near 0) or the vertical (near 90), antialiased, blended over what is there.
    /// </summary>
    public void Rule(double x0, double y0, double degrees, double thickness, SceneColour colour, float opacity)
    {
        var radians = degrees * Math.PI / 180;
        var horizontal = Math.Abs(Math.Cos(radians)) >= Math.Abs(Math.Sin(radians));
        var half = thickness / 2;
        if (horizontal)
        {
            var slope = Math.Tan(radians);
            var across = half * Math.Sqrt(1 + slope * slope);
            for (var x = 0; x < Width; x++)
            {
                var centre = y0 + (x - x0) * slope;
                for (var y = (int)Math.Floor(centre - across - 1); y <= (int)Math.Ceiling(centre + across + 1); y++)
                    if (y >= 0 && y < Height) Blend(y * Width + x, (float)Math.Clamp(across + 0.5 - Math.Abs(y - centre), 0, 1) * opacity, colour);
            }
        }
        else
        {
            var slope = 1 / Math.Tan(radians);
            var across = half * Math.Sqrt(1 + slope * slope);
            for (var y = 0; y < Height; y++)
            {
                var centre = x0 + (y - y0) * slope;
                for (var x = (int)Math.Floor(centre - across - 1); x <= (int)Math.Ceiling(centre + across + 1); x++)
                    if (x >= 0 && x < Width) Blend(y * Width + x, (float)Math.Clamp(across + 0.5 - Math.Abs(x - centre), 0, 1) * opacity, colour);
            }
        }
    }

    /// <summary>Ink laid by <paramref name="coverage"/> (0..255) with its top-left at (left, top); parts off the page are lost.</summary>
    public void Ink(Image<L8> coverage, int left, int top, SceneColour colour, float opacity)
    {
        var values = new L8[coverage.Width * coverage.Height];
        coverage.CopyPixelDataTo(values);
        for (var y = 0; y < coverage.Height; y++)
        for (var x = 0; x < coverage.Width; x++)
        {
            int px = left + x, py = top + y;
            if (px < 0 || py < 0 || px >= Width || py >= Height) continue;
            var a = values[y * coverage.Width + x].PackedValue / 255f * opacity;
            if (a > 0) Blend(py * Width + px, a, colour);
        }
    }

    /// <summary>A round speck of dirt or a stray dot of ink.</summary>
    public void Speck(double cx, double cy, double radius, SceneColour colour, float opacity)
    {
        for (var y = (int)(cy - radius - 1); y <= (int)(cy + radius + 1); y++)
        for (var x = (int)(cx - radius - 1); x <= (int)(cx + radius + 1); x++)
        {
            if (x < 0 || y < 0 || x >= Width || y >= Height) continue;
            var a = (float)Math.Clamp(radius + 0.5 - Math.Sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy)), 0, 1) * opacity;
            if (a > 0) Blend(y * Width + x, a, colour);
        }
    }

    /// <summary>The desk beyond a page edge: every pixel on the far side of the line through (x0, y0) along <paramref name="degrees"/>, away from (insideX, insideY).</summary>
    public void Desk(double x0, double y0, double degrees, double insideX, double insideY, SceneColour desk, Random random)
    {
        var radians = degrees * Math.PI / 180;
        double nx = -Math.Sin(radians), ny = Math.Cos(radians);
        var inside = Math.Sign((insideX - x0) * nx + (insideY - y0) * ny);
        var grain = Field(random, 24);
        for (var y = 0; y < Height; y++)
        for (var x = 0; x < Width; x++)
        {
            var side = ((x - x0) * nx + (y - y0) * ny) * inside;
            var a = (float)Math.Clamp(0.5 - side, 0, 1);
            if (a <= 0) continue;
            var i = y * Width + x;
            var f = 1 + 0.15f * grain[i];
            Blend(i, a, new SceneColour(desk.R * f, desk.G * f, desk.B * f));
        }
    }

    /// <summary>
    /// Light on the page: <paramref name="level"/> overall, a linear gradient of up to ±<paramref name="gradient"/> across it,
    /// and a vignette that darkens the corners by <paramref name="vignette"/>.
    /// </summary>
    public void Light(Random random, float level, float gradient, float vignette)
    {
        var angle = random.NextDouble() * 2 * Math.PI;
        double gx = Math.Cos(angle) * gradient, gy = Math.Sin(angle) * gradient;
        for (var y = 0; y < Height; y++)
        for (var x = 0; x < Width; x++)
        {
            double u = x / (double)Width - 0.5, v = y / (double)Height - 0.5;
            Scale(y * Width + x, (float)(level * (1 + 2 * (gx * u + gy * v)) * (1 - vignette * 2 * (u * u + v * v))));
        }
    }

    /// <summary>A shadow (a hand, a phone) over the half-plane beyond a line, darkening by <paramref name="depth"/>, its edge <paramref name="softness"/> px wide.</summary>
    public void Shadow(double x0, double y0, double degrees, float depth, double softness)
    {
        var radians = degrees * Math.PI / 180;
        double nx = -Math.Sin(radians), ny = Math.Cos(radians);
        for (var y = 0; y < Height; y++)
        for (var x = 0; x < Width; x++)
        {
            var side = (x - x0) * nx + (y - y0) * ny;
            var t = 1 / (1 + Math.Exp(-side / Math.Max(0.5, softness / 4)));
            Scale(y * Width + x, (float)(1 - depth * t));
        }
    }

    /// <summary>Sensor noise: grey noise of <paramref name="sigma"/> (0..1 units) with a colour part of <paramref name="chroma"/> of it.</summary>
    public void Noise(Random random, float sigma, float chroma)
    {
        // Drawn from a seeded table of normal values: a megapixel needs four million of them, and exact tails do not matter here.
        var table = new float[65536];
        for (var i = 0; i < table.Length; i++) table[i] = Gaussian(random);
        var state = (uint)random.Next() | 1;
        float Next()
        {
            state ^= state << 13; state ^= state >> 17; state ^= state << 5;
            return table[state & 0xFFFF];
        }
        for (var i = 0; i < r.Length; i++)
        {
            var grey = Next() * sigma;
            r[i] += grey + Next() * sigma * chroma;
            g[i] += grey + Next() * sigma * chroma;
            b[i] += grey + Next() * sigma * chroma;
        }
    }

    public Image<Rgb24> ToImage(float blur)
    {
        if (blur > 0.05f)
        {
            foreach (var plane in new[] { r, g, b }) Blur(plane, blur);
        }
        var pixels = new Rgb24[r.Length];
        for (var i = 0; i < pixels.Length; i++)
            pixels[i] = new Rgb24(ToByte(r[i]), ToByte(g[i]), ToByte(b[i]));
        return Image.LoadPixelData<Rgb24>(pixels, Width, Height);
    }

    /// <summary>A Gaussian blur of one plane, separable, edges clamped.</summary>
    private void Blur(float[] plane, float sigma)
    {
        var radius = (int)Math.Ceiling(2.5 * sigma);
        var kernel = new float[2 * radius + 1];
        for (var k = -radius; k <= radius; k++) kernel[k + radius] = MathF.Exp(-k * k / (2 * sigma * sigma));
        var sum = kernel.Sum();
        for (var k = 0; k < kernel.Length; k++) kernel[k] /= sum;
        var rows = new float[plane.Length];
        for (var y = 0; y < Height; y++)
        for (var x = 0; x < Width; x++)
        {
            float v = 0;
            for (var k = -radius; k <= radius; k++) v += kernel[k + radius] * plane[y * Width + Math.Clamp(x + k, 0, Width - 1)];
            rows[y * Width + x] = v;
        }
        for (var y = 0; y < Height; y++)
        for (var x = 0; x < Width; x++)
        {
            float v = 0;
            for (var k = -radius; k <= radius; k++) v += kernel[k + radius] * rows[Math.Clamp(y + k, 0, Height - 1) * Width + x];
            plane[y * Width + x] = v;
        }
    }

    private void Blend(int i, float a, SceneColour colour)
    {
        r[i] += (colour.R - r[i]) * a;
        g[i] += (colour.G - g[i]) * a;
        b[i] += (colour.B - b[i]) * a;
    }

    private void Scale(int i, float f)
    {
        r[i] *= f; g[i] *= f; b[i] *= f;
    }

    /// <summary>Smooth noise in [-1, 1]: random values on a grid of <paramref name="cell"/>-pixel cells, bilinearly interpolated.</summary>
    private float[] Field(Random random, int cell)
    {
        int gw = Width / cell + 2, gh = Height / cell + 2;
        var grid = new float[gw * gh];
        for (var i = 0; i < grid.Length; i++) grid[i] = (float)(random.NextDouble() * 2 - 1);
        var field = new float[Width * Height];
        for (var y = 0; y < Height; y++)
        for (var x = 0; x < Width; x++)
        {
            float fx = x / (float)cell, fy = y / (float)cell;
            int ix = (int)fx, iy = (int)fy;
            float tx = fx - ix, ty = fy - iy;
            var top = grid[iy * gw + ix] * (1 - tx) + grid[iy * gw + ix + 1] * tx;
            var bottom = grid[(iy + 1) * gw + ix] * (1 - tx) + grid[(iy + 1) * gw + ix + 1] * tx;
            field[y * Width + x] = top * (1 - ty) + bottom * ty;
        }
        return field;
    }

    private static float Gaussian(Random random) =>
        (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));

    private static byte ToByte(float v) => (byte)Math.Clamp(MathF.Round(v * 255), 0, 255);
}
