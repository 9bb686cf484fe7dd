using MnistEvents.Imaging;
using MnistEvents.Model.Evaluation;
using MnistEvents.Model.Inference;
using MnistEvents.Model.Store;
using MnistEvents.TestSupport;
using Xunit.Abstractions;

namespace MnistEvents.UnitTests.Imaging;

/// <summary>
/// Every family of everyday uploads (<see cref="UploadStyle"/>: phone photos stored sideways, ruled and squared
/// paper, coloured pens photographed small, the page on a desk, lossy and animated WebP, and the styles covered
/// before), rendered with seeded random parameters from digits spread over the test set, comes out of preprocessing
/// as MNIST's own digit would: a model reads it as well as it reads the untouched digit, and it looks like it.
/// </summary>
public class UploadFamilyTests(ITestOutputHelper output)
{
    private const int PerFamily = 30;

    private static readonly Lazy<DigitClassifier> SeedModel = new(() => new DigitClassifier(ModelStore.Load(TestData.Fixture("seed_mlp.pt")).Network));

    public static TheoryData<UploadStyle> Families => new(Enum.GetValues<UploadStyle>());

    [Theory]
    [MemberData(nameof(Families))]
    public void EachFamilyIsReadAsWellAsMnistsOwnDigitsAndLooksLikeThem(UploadStyle family)
    {
        // Its own seed per family, and digits from all over the test set: not the validation set's, not a fixed handful.
        var random = new Random(4_100 + (int)family);
        var preprocessor = new DigitPreprocessor();
        var indexes = Enumerable.Range(0, PerFamily).Select(_ => random.Next(TestData.Test.Count)).ToArray();
        var seen = new byte[PerFamily * DigitImage.PixelCount];
        var correlations = new double[PerFamily];
        for (var i = 0; i < PerFamily; i++)
        {
            var digit = TestData.Test.Image(indexes[i]);
            var pixels = preprocessor.Preprocess(UploadRenderer.Render(digit, family, random)).Pixels;
            pixels.CopyTo(seen, i * DigitImage.PixelCount);
            correlations[i] = DigitImages.Correlation(digit, pixels);
        }

        // The seed's MLP (96.2% on MNIST's test set) is the weaker reader, so it notices a worse input sooner.
        var untouched = indexes.SelectMany(i => TestData.Test.Image(i).ToArray()).ToArray();
        var rightUntouched = Right(untouched, indexes);
        var rightUploaded = Right(seen, indexes);
        var median = correlations.Order().ElementAt(PerFamily / 2);
        output.WriteLine($"{family}: the seed's model reads {rightUploaded}/{PerFamily} uploads, {rightUntouched}/{PerFamily} of the same digits untouched; median correlation {median:0.00}, worst {correlations.Min():0.00}");
        Assert.True(rightUploaded >= rightUntouched - 2, $"{family}: {rightUploaded}/{PerFamily} read right, against {rightUntouched} untouched");
        Assert.True(median >= 0.8, $"{family}: median correlation with the MNIST digit {median:0.00}");
    }

    private static int Right(byte[] pixels, int[] indexes)
    {
        var probabilities = SeedModel.Value.Probabilities(pixels, indexes.Length);
        return indexes.Where((index, i) => DigitClassifier.ArgMax(probabilities[i]) == TestData.Test.Labels[index]).Count();
    }
}
