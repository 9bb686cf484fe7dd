using MnistEvents.Contracts;
using MnistEvents.Imaging.Profiles;
using MnistEvents.Model.Data;
using MnistEvents.TestSupport;

namespace MnistEvents.UnitTests.Drift;

/// <summary>The features measured on real MNIST digits, and the arithmetic the gateway does on replicas' cumulative counts.</summary>
public class InputProfilesTests
{
    [Fact]
    public void ADigitMovedWithinTheFrameHasItsCentreMovedByAsMuchAndNothingElseChanged()
    {
        var measured = 0;
        for (var i = 0; i < 300; i++)
        {
            var digit = TestData.Test.Image(i).ToArray();
            if (!FitsAfterMoving(digit, 3, -2)) continue;
            var before = Measure(digit);
            var after = Measure(Move(digit, 3, -2));

            Assert.Equal(before[3] + 3, after[3], 6);
            Assert.Equal(before[4] - 2, after[4], 6);
            Assert.Equal([before[0], before[1], before[2], before[5]], [after[0], after[1], after[2], after[5]]);
            measured++;
        }
        Assert.True(measured > 200, $"only {measured} of 300 digits could move");
    }

    [Fact]
    public void EveryFeatureIsItsDefinitionOnRealDigitsAndSeededRandomImages()
    {
        // Real digits, then random images from sparse to nearly full ink (seeded), so that ink touching the frame's edges is measured too.
        var random = new Random(2112);
        var images = Enumerable.Range(0, 200).Select(i => TestData.Test.Image(i).ToArray())
            .Concat(Enumerable.Range(0, 200).Select(_ =>
            {
                var density = random.NextDouble();
                return Enumerable.Range(0, MnistDataset.Pixels).Select(_ => random.NextDouble() < density ? (byte)random.Next(256) : (byte)0).ToArray();
            }));

        foreach (var image in images) Assert.Equal(ByDefinition(image), Measure(image));
    }

    [Fact]
    public void AnEmptyImageHasNoInkAndIsCountedInTheMiddle()
    {
        var values = Measure(new byte[MnistDataset.Pixels]);

        Assert.Equal([0, 0, 0, 13.5, 13.5, 0], values);
    }

    [Fact]
    public void WhatCameBetweenTwoCumulativeReportsIsTheirDifferenceAndNothingWhenTheCounterRestarted()
    {
        var first = new InputProfiler();
        first.AddImages(TestData.Test.Images, 100);
        var earlier = first.ToProfile();
        var more = new InputProfiler();
        more.AddImages(TestData.Test.Images.AsSpan(100 * MnistDataset.Pixels), 50);
        first.Add(more);
        var later = first.ToProfile();

        var between = InputProfiles.Since(later, earlier)!;

        Assert.Equal(50, between.Digits);
        Assert.Equal(Counts(more.ToProfile()), Counts(between));
        Assert.Null(InputProfiles.Since(earlier, later));
        Assert.Null(InputProfiles.Since(more.ToProfile(), earlier));
    }

    [Fact]
    public void ASumCountsEveryWellFormedProfileAndNoneOfAnotherShape()
    {
        var a = new InputProfiler();
        a.AddImages(TestData.Test.Images, 30);
        a.AddAnswer(7, 0.9);
        var b = new InputProfiler();
        b.AddImages(TestData.Test.Images, 12);
        var misshapen = a.ToProfile() with { Features = [.. a.ToProfile().Features.Skip(1)] };
        var negative = new InputProfile(5, [.. a.ToProfile().Features.Select((f, i) => i == 0 ? f with { Counts = [.. f.Counts.Select(c => -c)] } : f)]);

        var sum = InputProfiles.Sum([a.ToProfile(), b.ToProfile(), misshapen, negative]);

        Assert.Equal(42, sum.Digits);
        Assert.Equal(Counts(a.ToProfile()).Zip(Counts(b.ToProfile()), (x, y) => x + y), Counts(sum));
        Assert.False(InputProfiles.IsWellFormed(misshapen));
        Assert.False(InputProfiles.IsWellFormed(negative));
    }

    [Fact]
    public void TheIndexIsZeroForTheSameSharesAndGrowsAsTheyMoveApart()
    {
        Assert.InRange(InputProfiles.Index([10, 20, 30], [20, 40, 60])!.Value, 0, 1e-3);
        var near = InputProfiles.Index([100, 100, 100], [90, 100, 110])!.Value;
        var far = InputProfiles.Index([100, 100, 100], [10, 100, 190])!.Value;
        Assert.InRange(near, 1e-4, 0.05);
        Assert.True(far > InputProfiles.Shifted, $"{far}");
        Assert.Null(InputProfiles.Index([0, 0, 0], [1, 2, 3]));
        // An empty bin on one side stays finite.
        Assert.True(double.IsFinite(InputProfiles.Index([0, 50, 50], [100, 0, 0])!.Value));
    }

    private static double[] Measure(byte[] digit)
    {
        var values = new double[DigitFeatures.ImageFeatures];
        DigitFeatures.Measure(digit, values);
        return values;
    }

    // The features as DigitFeatures documents them, computed the plain way: ink mass, the extent of the pixels at half
    // ink or more, the centre of mass, and 2 × area ÷ perimeter of those pixels, counting each side that faces no ink.
    private static double[] ByDefinition(byte[] image)
    {
        double mass = 0, sumX = 0, sumY = 0;
        int left = 28, right = -1, top = 28, bottom = -1;
        long area = 0, perimeter = 0;
        bool Ink(int x, int y) => x is >= 0 and < 28 && y is >= 0 and < 28 && image[y * 28 + x] / 255f >= 0.5f;
        for (var y = 0; y < 28; y++)
        for (var x = 0; x < 28; x++)
        {
            var value = image[y * 28 + x];
            mass += value;
            sumX += value * (double)x;
            sumY += value * (double)y;
            if (!Ink(x, y)) continue;
            (left, right, top, bottom) = (Math.Min(left, x), Math.Max(right, x), Math.Min(top, y), Math.Max(bottom, y));
            area++;
            perimeter += new[] { Ink(x - 1, y), Ink(x + 1, y), Ink(x, y - 1), Ink(x, y + 1) }.Count(neighbour => !neighbour);
        }
        return [mass / 255, right < 0 ? 0 : right - left + 1, bottom < 0 ? 0 : bottom - top + 1, mass == 0 ? 13.5 : sumX / mass,
            mass == 0 ? 13.5 : sumY / mass, perimeter == 0 ? 0 : 2.0 * area / perimeter];
    }

    private static long[] Counts(InputProfile profile) => [.. profile.Features.SelectMany(f => f.Counts)];

    private static bool FitsAfterMoving(byte[] digit, int dx, int dy)
    {
        for (var y = 0; y < 28; y++)
        for (var x = 0; x < 28; x++)
            if (digit[y * 28 + x] > 0 && (x + dx is < 0 or >= 28 || y + dy is < 0 or >= 28)) return false;
        return true;
    }

    private static byte[] Move(byte[] digit, int dx, int dy)
    {
        var moved = new byte[digit.Length];
        for (var y = 0; y < 28; y++)
        for (var x = 0; x < 28; x++)
            if (digit[y * 28 + x] > 0) moved[(y + dy) * 28 + x + dx] = digit[y * 28 + x];
        return moved;
    }
}
