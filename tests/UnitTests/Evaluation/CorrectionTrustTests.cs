using MnistEvents.Registry;
using MnistEvents.TestSupport;

namespace MnistEvents.UnitTests.Evaluation;

/// <summary>
/// The corrections' trust rules on real MNIST digits: what one client can do alone (contradict, repeat, overrule a
/// near-certain answer, outweigh everyone) is not trained on; what several clients agree on, or an admin accepts, is.
/// </summary>
public class CorrectionTrustTests
{
    private static readonly CorrectionsOptions Rules = new() { MaxTrainedPerClient = 5, SuspiciousRepeats = 3, ConfidentAnswer = 0.99 };
    private static readonly Dictionary<Guid, CorrectionReview> NoReviews = [];
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void OneImageCorrectedToSixDifferentLabelsIsContradictoryAndNoneOfItIsTrusted()
    {
        var eight = Digit(8);
        var attack = new[] { 3, 7, 0, 4, 1, 2 }.Select((label, i) => Correction(eight, label, predicted: 8, 0.99999, "10.0.0.66", i)).ToList();
        var honest = Correction(Digit(1), 1, predicted: 7, 0.6, "10.0.0.1", 10);

        var judged = CorrectionTrust.Judge([.. attack, honest], NoReviews, Rules);

        Assert.Equal([honest], judged.Trusted);
        Assert.All(judged.Refused, r => Assert.Equal(CorrectionRefusal.Contradictory, r.Reason));
        Assert.Equal(attack.Select(a => a.PredictionId).ToHashSet(), judged.Refused.Select(r => r.Record.PredictionId).ToHashSet());
        Assert.Contains("corrected as 0, 1, 2, 3, 4, 7 by 1 client(s)", judged.Refused[0].Detail);
        Assert.Equal("7 correction(s): 1 trusted, 6 refused (6 contradictory)", judged.Summary());
    }

    [Fact]
    public void TheSameImageIsKnownByItsPixelsEvenWithALittleNoiseAndADifferentPredictionId()
    {
        var seven = Digit(7);
        var noisy = (byte[])seven.Clone();
        var random = new Random(19);
        for (var i = 0; i < 20; i++) noisy[random.Next(784)] ^= 0x10;

        Assert.Equal(ImageFingerprint.Of(seven), ImageFingerprint.Of(noisy));
        Assert.NotEqual(ImageFingerprint.Of(seven), ImageFingerprint.Of(Digit(7, nth: 1)));
        var judged = CorrectionTrust.Judge([Correction(seven, 7, 1, 0.5, "10.0.0.1", 0), Correction(noisy, 2, 1, 0.5, "10.0.0.2", 1)], NoReviews, Rules);
        Assert.Empty(judged.Trusted);
    }

    [Fact]
    public void OneClientCorrectingOneImageAgainAndAgainIsSuspiciousEvenWithOneLabel()
    {
        var eight = Digit(8);
        var slow = Enumerable.Range(0, 3).Select(i => Correction(eight, 3, predicted: 8, 0.7, "10.0.0.66", i * 60)).ToList();

        var judged = CorrectionTrust.Judge(slow, NoReviews, Rules);

        Assert.Empty(judged.Trusted);
        Assert.All(judged.Refused, r => Assert.Equal(CorrectionRefusal.Repeated, r.Reason));
    }

    [Fact]
    public void ANearCertainAnswerIsOverruledOnlyWhenASecondClientAgreesOrAnAdminAccepts()
    {
        var four = Digit(4);
        var alone = Correction(four, 9, predicted: 4, 0.9995, "10.0.0.1", 0);
        var unsure = Correction(Digit(5), 3, predicted: 5, 0.8, "10.0.0.1", 1);

        var judged = CorrectionTrust.Judge([alone, unsure], NoReviews, Rules);
        Assert.Equal([unsure], judged.Trusted);
        Assert.Equal(CorrectionRefusal.AwaitingCorroboration, Assert.Single(judged.Refused).Reason);

        var agreed = Correction(four, 9, predicted: 4, 0.9995, "10.0.0.2", 2);
        var corroborated = CorrectionTrust.Judge([alone, unsure, agreed], NoReviews, Rules);
        Assert.Equal([alone, unsure], corroborated.Trusted);
        Assert.Equal(CorrectionRefusal.Duplicate, Assert.Single(corroborated.Refused).Reason);

        var accepted = new Dictionary<Guid, CorrectionReview> { [alone.PredictionId] = new(alone.PredictionId, CorrectionVerdict.Accepted, "an admin", Start) };
        Assert.Equal([alone, unsure], CorrectionTrust.Judge([alone, unsure], accepted, Rules).Trusted);
    }

    [Fact]
    public void EachClientsWeightInATrainingIsBoundedAndOthersAreNotCrowdedOut()
    {
        var images = Enumerable.Range(0, 12).Select(i => Digit(i % 10, nth: i / 10 + 2)).ToList();
        var flood = images.Take(10).Select((p, i) => Correction(p, (i + 1) % 10, predicted: i % 10, 0.6, "10.0.0.66", i)).ToList();
        var others = images.Skip(10).Select((p, i) => Correction(p, 5, predicted: 0, 0.6, $"10.0.0.{i + 1}", 20 + i)).ToList();

        var judged = CorrectionTrust.Judge([.. flood, .. others], NoReviews, Rules);

        Assert.Equal(flood.Take(5).Concat(others), judged.Trusted);
        Assert.All(judged.Refused, r => Assert.Equal((CorrectionRefusal.OverClientShare, "10.0.0.66"), (r.Reason, r.Record.Client)));
    }

    [Fact]
    public void RejectedCorrectionsAreRefusedAndDeletedOnesAreGone()
    {
        var a = Correction(Digit(2), 2, predicted: 3, 0.6, "10.0.0.1", 0);
        var b = Correction(Digit(6), 6, predicted: 5, 0.6, "10.0.0.1", 1);
        var reviews = new Dictionary<Guid, CorrectionReview>
        {
            [a.PredictionId] = new(a.PredictionId, CorrectionVerdict.Rejected, "an admin", Start),
            [b.PredictionId] = new(b.PredictionId, CorrectionVerdict.Deleted, "an admin", Start),
        };

        var judged = CorrectionTrust.Judge([a, b], reviews, Rules);

        Assert.Empty(judged.Trusted);
        Assert.Equal((a, CorrectionRefusal.Rejected), (Assert.Single(judged.Refused).Record, judged.Refused[0].Reason));
    }

    private static byte[] Digit(int label, int nth = 0) =>
        TestData.Test.Image(Enumerable.Range(0, TestData.Test.Count).Where(i => TestData.Test.Labels[i] == label).Skip(nth).First()).ToArray();

    private static CorrectionRecord Correction(byte[] pixels, int label, int predicted, double confidence, string client, int minutes) =>
        new(Guid.NewGuid(), label, predicted, "a version", pixels, Start.AddMinutes(minutes), client, confidence);
}
