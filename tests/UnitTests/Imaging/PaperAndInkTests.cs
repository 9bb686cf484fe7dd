using MnistEvents.Imaging;
using MnistEvents.Model.Evaluation;
using MnistEvents.TestSupport;

namespace MnistEvents.UnitTests.Imaging;

/// <summary>
/// Ink is what differs from the paper under it, whatever its colour; the paper's own structure (rules, grids,
/// margins, specks, the desk beyond its edge) is not ink; and where an answer may be doubtful, the upload says so.
/// </summary>
public class PaperAndInkTests
{
    private static readonly DigitPreprocessor Preprocessor = new();

    public static TheoryData<string, int, int, int> Pens => new()
    {
        { "blue", 30, 60, 190 },
        { "red", 205, 35, 45 },
        { "green", 35, 140, 70 },
    };

    [Theory]
    [MemberData(nameof(Pens))]
    public void AColouredPenReadsAsStronglyAsBlackInk(string pen, int r, int g, int b)
    {
        // A small noisy photo (260×200): the case that read 3 in 9 right when noise counted as ink.
        var black = Preprocessor.Preprocess(Photos.Digit(3, 260, 200, 120, Photos.Black, noise: 0.05f));
        var coloured = Preprocessor.Preprocess(Photos.Digit(3, 260, 200, 120, SceneColour.From(r, g, b), noise: 0.05f));

        Assert.True(DigitImages.Correlation(black.Pixels, coloured.Pixels) > 0.9, $"{pen}: correlation with black {DigitImages.Correlation(black.Pixels, coloured.Pixels):0.00}");
        Assert.DoesNotContain(coloured.Warnings, w => w.Contains("faint"));
        Assert.InRange(InkHeight(coloured.Pixels), 19, 20);
    }

    public static TheoryData<bool, double, double> Rulings => new()
    {
        { false, 0.5, 0 }, { false, 0.8, 2.5 }, { false, 1.3, -2 }, { true, 0.35, 0 }, { true, 0.6, 1.5 }, { true, 0.9, -3 },
    };

    [Theory]
    [MemberData(nameof(Rulings))]
    public void RulesAndGridsAreNotInkTheCropFitsTheDigitNotThePage(bool grid, double spacingPerDigit, double tilt)
    {
        const int digitHeight = 140;
        var scene = Photos.Page(600, 480);
        var blue = SceneColour.From(120, 165, 225);
        var spacing = spacingPerDigit * digitHeight;
        for (var at = -600.0; at < 1100; at += spacing)
        {
            scene.Rule(0, at, tilt, 2, blue, 0.9f);
            if (grid) scene.Rule(at, 0, 90 + tilt, 2, blue, 0.9f);
        }
        if (!grid) scene.Rule(90, 0, 90 + tilt, 2.5, SceneColour.From(225, 90, 100), 1);
        Photos.Write(scene, 5, digitHeight, SceneColour.From(30, 50, 160));

        var seen = Preprocessor.Preprocess(Photos.Photograph(scene)).Pixels;
        var clean = Preprocessor.Preprocess(Photos.Digit(5, 600, 480, digitHeight, SceneColour.From(30, 50, 160))).Pixels;

        // Lines counted as ink make the crop the page's, and the digit shrinks to ~10 px of the 20 MNIST gives it.
        Assert.InRange(InkHeight(seen), 18, 20);
        Assert.True(DigitImages.Correlation(clean, seen) > 0.85, $"correlation with the same digit on plain paper {DigitImages.Correlation(clean, seen):0.00}");
    }

    [Theory]
    [InlineData(1.5, 1)]
    [InlineData(-3, 2)]
    [InlineData(4, 3)]
    [InlineData(2.5, 4)]
    [InlineData(-1.5, 5)]
    public void RulesThatConvergeInAPhotosPerspectiveAreNotInkEither(double spread, int seed)
    {
        // A page photographed at a slant: its rules are no longer parallel, each at its own angle, the top's and the
        // bottom's apart by the spread; the digit lies across several of them.
        const int digitHeight = 150;
        var random = new Random(seed);
        var scene = Photos.Page(640, 800);
        var blue = SceneColour.From(120, 165, 225);
        var spacing = 45 + random.Next(25);
        for (var at = 30.0 + random.Next(20); at < 800; at += spacing) scene.Rule(0, at, spread * (at / 800 - 0.5), 2, blue, 0.9f);
        Photos.Write(scene, seed, digitHeight, SceneColour.From(30, 50, 160), left: 200 + random.Next(200), top: 250 + random.Next(300));

        var seen = Preprocessor.Preprocess(Photos.Photograph(scene)).Pixels;
        var clean = Preprocessor.Preprocess(Photos.Digit(seed, 640, 800, digitHeight, SceneColour.From(30, 50, 160))).Pixels;

        Assert.InRange(InkHeight(seen), 18, 20);
        Assert.True(DigitImages.Correlation(clean, seen) > 0.85, $"correlation with the same digit on plain paper {DigitImages.Correlation(clean, seen):0.00}");
    }

    [Fact]
    public void SpecksAwayFromTheDigitAreLeftOutOfTheCrop()
    {
        var scene = Photos.Page(500, 400);
        Photos.Write(scene, 7, 150, Photos.Black);
        var random = new Random(3);
        for (var i = 0; i < 12; i++)
        {
            // In the page's outer band, away from the digit in its middle.
            var (x, y) = random.Next(2) == 0 ? (random.Next(10, 490), random.Next(2) == 0 ? random.Next(8, 60) : random.Next(340, 392)) : (random.Next(2) == 0 ? random.Next(8, 80) : random.Next(420, 492), random.Next(10, 390));
            scene.Speck(x, y, 2, Photos.Black, 0.9f);
        }

        var seen = Preprocessor.Preprocess(Photos.Photograph(scene)).Pixels;
        var clean = Preprocessor.Preprocess(Photos.Digit(7, 500, 400, 150, Photos.Black)).Pixels;

        Assert.True(DigitImages.Correlation(clean, seen) > 0.95);
    }

    [Fact]
    public void APlainClearUploadCarriesNoWarnings()
    {
        Assert.Empty(Preprocessor.Preprocess(Photos.Digit(1, 400, 300, 180, Photos.Black)).Warnings);
        Assert.Empty(Preprocessor.Preprocess(Uploads.DigitPng(4)).Warnings);
    }

    [Fact]
    public void ADigitFillingATinyPartOfAPhotoIsReadAndWarnedAbout()
    {
        var seen = Preprocessor.Preprocess(Photos.Digit(0, 1600, 1200, 60, Photos.Black, left: 300, top: 200));

        Assert.True(DigitImages.Correlation(TestData.Test.Image(0), seen.Pixels) > 0.8);
        var warning = Assert.Single(seen.Warnings);
        Assert.Matches(@"^The digit fills only a small part of the picture \(about [1-9]% of its size\): crop closer to it, or take the photo nearer\.$", warning);
    }

    [Fact]
    public void FaintInkIsReadAndWarnedAbout()
    {
        var seen = Preprocessor.Preprocess(Photos.Digit(0, 300, 240, 150, Photos.Black, opacity: 0.2f));

        Assert.True(DigitImages.Correlation(TestData.Test.Image(0), seen.Pixels) > 0.8);
        var warning = Assert.Single(seen.Warnings);
        Assert.StartsWith("The ink is faint (", warning);
    }

    [Fact]
    public void TwoDigitsSideBySideAreWarnedAboutAndTheLargerIsRead()
    {
        var scene = Photos.Page(640, 320);
        Photos.Write(scene, 0, 200, Photos.Black, left: 40, top: 40);
        Photos.Write(scene, 2, 150, Photos.Black, left: 420, top: 70);

        var seen = Preprocessor.Preprocess(Photos.Photograph(scene));

        Assert.Equal(["Another mark was found besides the digit; the largest one was read: crop to the one digit."], seen.Warnings);
        Assert.True(DigitImages.Correlation(TestData.Test.Image(0), seen.Pixels) > 0.8);
    }

    /// <summary>Rows of the 28×28 image holding ink: MNIST fits every digit's taller side to 20.</summary>
    private static int InkHeight(byte[] pixels)
    {
        var rows = Enumerable.Range(0, 28).Where(r => pixels.AsSpan(r * 28, 28).ToArray().Any(p => p > 0)).ToList();
        var columns = Enumerable.Range(0, 28).Where(c => Enumerable.Range(0, 28).Any(r => pixels[r * 28 + c] > 0)).ToList();
        return Math.Max(rows[^1] - rows[0] + 1, columns[^1] - columns[0] + 1);
    }
}
