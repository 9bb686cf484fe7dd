using MnistEvents.Trainer.Cli;

namespace MnistEvents.UnitTests.Trainer;

public class RequestRetrainArgumentParserTests
{
    [Fact]
    public void EverySettingGoesIntoTheRequestAndWhatIsLeftOutTakesTheTrainersDefault()
    {
        var parsed = RequestRetrainArgumentParser.Parse([
            "--epochs", "2", "--batch-size=32", "--lr", "0.5", "--limit", "5000", "--promote-regardless", "--shadow-predictions=200",
            "--requested-by", "nightly pipeline", "--training-id", "3f2504e0-4f89-11d3-9a0c-0305e82c3301", "--wait", "--timeout", "600",
        ]);
        var r = parsed.Request;

        Assert.Equal((2, 32, 0.5, 5000, true, 200L), (r.Epochs, r.BatchSize, r.LearningRate, r.Limit, r.PromoteRegardless, r.ShadowPredictions));
        Assert.Equal("nightly pipeline", r.RequestedBy);
        Assert.Equal(Guid.Parse("3f2504e0-4f89-11d3-9a0c-0305e82c3301"), r.TrainingId);
        Assert.True(parsed.Wait);
        Assert.Equal(TimeSpan.FromMinutes(10), parsed.Timeout);

        var bare = RequestRetrainArgumentParser.Parse([]);
        Assert.Equal((null, null, null, null, false, null), (bare.Request.Epochs, bare.Request.BatchSize, bare.Request.LearningRate, bare.Request.Limit,
            bare.Request.PromoteRegardless, bare.Request.ShadowPredictions));
        Assert.NotEqual(Guid.Empty, bare.Request.TrainingId);
        Assert.StartsWith("request-retrain on ", bare.Request.RequestedBy);
        Assert.False(bare.Wait);
    }

    [Theory]
    [InlineData("--epochs 0", "--epochs expects a whole number above 0, not '0'")]
    [InlineData("--lr NaN", "--lr expects a number above 0, not 'NaN'")]
    [InlineData("--wait=yes", "--wait takes no value")]
    [InlineData("--requested-by", "--requested-by needs a value")]
    [InlineData("--timeout 60", "--timeout only bounds --wait")]
    [InlineData("--save-model", "unknown flag '--save-model' (see --help)")]
    public void AFlagThatCannotRunIsRefusedNamingIt(string line, string message)
    {
        var e = Assert.Throws<UsageException>(() => RequestRetrainArgumentParser.Parse(line.Split(' ')));

        Assert.Equal(message, e.Message);
    }
}
