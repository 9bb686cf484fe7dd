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
