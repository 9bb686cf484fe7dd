using MnistEvents.Registry;
using MnistEvents.TestSupport;

namespace MnistEvents.ServiceTests.Gateway;

/// <summary>The corrections file across restarts, crashes mid-line, its cap, and the processes sharing it (gateways append, the controller reviews).</summary>
public class CorrectionsLogTests
{
    private readonly ModelVolume volume = new(Path.Combine(TestData.TempDirectory(), "mnist.pt"));

    private string FilePath => volume.CorrectionsPath;

    [Fact]
    public async Task CorrectionsAreReadBackAfterARestartAndATornLastLineIsSkippedNotContinued()
    {
        using (var first = Store())
        {
            await first.AddAsync(Record(3), CancellationToken.None);
            await first.AddAsync(Record(3), CancellationToken.None);
        }
        await File.AppendAllTextAsync(FilePath, """{"predictionId":"0f0f""");

        using (var restarted = Store())
        {
            Assert.Equal(2, (await restarted.CountAsync(CancellationToken.None)).PerLabel[3]);
            var (outcome, summary) = await restarted.AddAsync(Record(8), CancellationToken.None);
            Assert.Equal(CorrectionOutcome.Recorded, outcome);
            Assert.Equal(3, summary.Count);
        }
        using var again = Store();
        var after = await again.CountAsync(CancellationToken.None);
        Assert.Equal(3, after.Count);
        Assert.Equal(1, after.PerLabel[8]);
    }

    [Fact]
    public async Task AFullStoreRefusesAndKeepsWhatItHas()
    {
        using var store = Store(max: 2);
        await store.AddAsync(Record(1), CancellationToken.None);
        await store.AddAsync(Record(2), CancellationToken.None);

        var (outcome, summary) = await store.AddAsync(Record(3), CancellationToken.None);

        Assert.Equal(CorrectionOutcome.Full, outcome);
        Assert.Equal(2, summary.Count);
        Assert.Equal(2, File.ReadLines(FilePath).Count());
    }

    [Fact]
    public async Task ADeletionAnotherProcessRecordedFreesTheClientsShareHereAtTheNextCall()
    {
        using var gateway = new CorrectionsLog(volume, 100, options: new CorrectionsOptions { MaxPerClient = 2 });
        using var controller = new CorrectionsLog(volume, 100, options: new CorrectionsOptions { MaxPerClient = 2 });
        var first = Record(1) with { Client = "10.0.0.9" };
        await gateway.AddAsync(first, CancellationToken.None);
        await gateway.AddAsync(Record(2) with { Client = "10.0.0.9" }, CancellationToken.None);
        Assert.Equal(CorrectionOutcome.ClientShareFull, (await gateway.AddAsync(Record(3) with { Client = "10.0.0.9" }, CancellationToken.None)).Outcome);

        Assert.True(await controller.ReviewAsync(new CorrectionReview(first.PredictionId, CorrectionVerdict.Deleted, "an admin", DateTimeOffset.UtcNow),
            CancellationToken.None));

        Assert.Equal(CorrectionOutcome.Recorded, (await gateway.AddAsync(Record(3) with { Client = "10.0.0.9" }, CancellationToken.None)).Outcome);
        Assert.Equal(2, (await gateway.CountAsync(CancellationToken.None)).Count);
    }

    [Fact]
    public async Task AReviewFindsACorrectionAnotherProcessAppendedAfterThisOneReadTheFile()
    {
        using var gateway = Store();
        using var controller = Store();
        Assert.Equal(0, (await controller.CountAsync(CancellationToken.None)).Count);
        var later = Record(4);
        await gateway.AddAsync(later, CancellationToken.None);

        var kept = await controller.ReviewAsync(new CorrectionReview(later.PredictionId, CorrectionVerdict.Accepted, "an admin", DateTimeOffset.UtcNow),
            CancellationToken.None);
        var unknown = await controller.ReviewAsync(new CorrectionReview(Guid.NewGuid(), CorrectionVerdict.Accepted, "an admin", DateTimeOffset.UtcNow),
            CancellationToken.None);

        Assert.True(kept);
        Assert.False(unknown);
        Assert.Equal(CorrectionVerdict.Accepted, controller.ReadReviews()[later.PredictionId].Verdict);
    }

    private CorrectionsLog Store(int max = 100) => new(volume, max);

    private static CorrectionRecord Record(int label) => new(Guid.NewGuid(), label, 9 - label, "v1", new byte[784], DateTimeOffset.UtcNow);
}
