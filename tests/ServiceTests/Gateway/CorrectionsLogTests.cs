using MnistEvents.Registry;
using MnistEvents.TestSupport;

namespace MnistEvents.ServiceTests.Gateway;

/// <summary>The corrections file across restarts, crashes mid-line and its cap.</summary>
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

    private CorrectionsLog Store(int max = 100) => new(volume, max);

    private static CorrectionRecord Record(int label) => new(Guid.NewGuid(), label, 9 - label, "v1", new byte[784], DateTimeOffset.UtcNow);
}
