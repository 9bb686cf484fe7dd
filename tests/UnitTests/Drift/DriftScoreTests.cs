using MnistEvents.Contracts;
using MnistEvents.Imaging.Profiles;
using MnistEvents.Model.Data;
using MnistEvents.Model.Evaluation;
using MnistEvents.Model.Inference;
using MnistEvents.Model.Store;
using MnistEvents.TestSupport;

namespace MnistEvents.UnitTests.Drift;

/// <summary>
/// The drift score on real digits, against the seed's MLP's data profile as a trainer records it (here from a small real
/// subset for speed: 5,000 MNIST training images, its answers on 1,000 test digits and 300 rendered uploads). Each stream
/// is a seeded family, at the 200 digits a score needs by default, under several seeds.
/// </summary>
public class DriftScoreTests
{
    private const int Digits = 200;
    private static readonly Lazy<LoadedModel> SeedModel = new(() => ModelStore.Load(TestData.Fixture("seed_mlp.pt")));
    private static readonly Lazy<InputProfile> Baseline = new(() =>
        DataProfile.Of(SeedModel.Value.Network, [TestData.Train.Take(5_000)], [TestData.Test.Take(1_000), ValidationUploads.Build(TestData.Test, 300)]));

    [Fact]
    public void AVersionsProfileCountsTheImagesItLearntFromAndItsAnswersOnTheValidationData()
    {
        var profile = Baseline.Value;

        Assert.Equal(5_000 + 1_000 + 300, profile.Digits);
        Assert.Equal(DigitFeatures.All.Select(f => f.Name), profile.Features.Select(f => f.Feature));
        Assert.All(profile.Features.Take(DigitFeatures.ImageFeatures), f => Assert.Equal(profile.Digits, f.Counts.Sum()));
        Assert.Equal(1_300, profile.Features[DigitFeatures.ImageFeatures].Counts.Sum());
        // The seed answers MNIST's test digits as their labels say 96% of the time: its digit mix is theirs.
        var labels = TestData.Test.Take(1_000).Labels.Concat(ValidationUploads.Build(TestData.Test, 300).Labels).GroupBy(l => l).ToDictionary(g => (int)g.Key, g => g.Count());
        var answered = profile.Features[DigitFeatures.ImageFeatures].Counts;
        Assert.All(Enumerable.Range(0, 10), d => Assert.InRange(answered[d], labels[d] * 0.8, labels[d] * 1.2));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void EverydayUploadsAndPlainMnistDigitsDoNotReadAsDrift(int seed)
    {
        // Every upload family, rendered with its own seeds and passed through the gateway's preprocessing, as live traffic is.
        var uploads = Scores(ValidationUploads.Build(TestData.Test, Digits, seed: 1_000 + seed).Images);
        var plain = Scores(DriftedDigits.Plain(Digits, seed));

        Assert.All(uploads, f => Assert.True(f.Score < InputProfiles.Shifted, $"uploads: {f.Feature} {f.Score:0.000}"));
        Assert.All(plain, f => Assert.True(f.Score < InputProfiles.Shifted / 2, $"plain MNIST: {f.Feature} {f.Score:0.000}"));
    }

    [Theory]
    [InlineData("off-centre", 1, new[] { "centreX", "centreY", "confidence" })]
    [InlineData("off-centre", 2, new[] { "centreX", "centreY", "confidence" })]
    [InlineData("thick strokes", 1, new[] { "stroke", "ink", "height" })]
    [InlineData("thick strokes", 2, new[] { "stroke", "ink", "height" })]
    [InlineData("overlaid", 1, new[] { "confidence", "ink" })]
    [InlineData("overlaid", 2, new[] { "confidence", "ink" })]
    public void AShiftedStreamScoresAboveTheThresholdOnWhatMoved(string family, int seed, string[] moved)
    {
        var pixels = family switch
        {
            "off-centre" => DriftedDigits.OffCentre(Digits, seed),
            "thick strokes" => DriftedDigits.ThickStrokes(Digits, seed),
            _ => DriftedDigits.Overlaid(Digits, seed),
        };

        var scores = Scores(pixels).ToDictionary(f => f.Feature, f => f.Score);

        Assert.All(moved, feature => Assert.True(scores[feature] > InputProfiles.Shifted, $"{family}: {feature} {scores[feature]:0.000}"));
    }

    private static IReadOnlyList<FeatureDrift> Scores(byte[] pixels)
    {
        var count = pixels.Length / MnistDataset.Pixels;
        var probabilities = DigitClassifier.Probabilities(SeedModel.Value.Network, pixels, count);
        var live = new InputProfiler();
        for (var i = 0; i < count; i++)
        {
            var digit = DigitClassifier.ArgMax(probabilities[i]);
            live.Add(pixels.AsSpan(i * MnistDataset.Pixels, MnistDataset.Pixels), digit, probabilities[i][digit]);
        }
        var scores = InputProfiles.Compare(Baseline.Value, live.ToProfile());
        Assert.Equal(DigitFeatures.All.Count, scores.Count);
        return scores;
    }
}
