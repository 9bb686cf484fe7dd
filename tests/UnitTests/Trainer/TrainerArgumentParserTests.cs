using MnistEvents.Model.Networks;
using MnistEvents.Trainer.Cli;

namespace MnistEvents.UnitTests.Trainer;

public class TrainerArgumentParserTests
{
    [Fact]
    public void DefaultsAreThePytorchExamplesDefaultsExceptTheCnnsLearningRate()
    {
        var parsed = TrainerArgumentParser.Parse([]);
        var t = parsed.Training;

        Assert.Equal((64, 1000, 14, 0.7, false, 1L, 10), (t.BatchSize, t.TestBatchSize, t.Epochs, t.Gamma, t.DryRun, t.Seed, t.LogInterval));
        Assert.Equal(2.0, t.EffectiveLearningRate);
        Assert.Equal(1.0, TrainerArgumentParser.Parse(["--arch", "mlp"]).Training.EffectiveLearningRate);
        Assert.False(parsed.SaveModel);
        Assert.Equal("mnist.pt", parsed.SaveModelPath);
        Assert.Equal(Architecture.Cnn, t.Architecture);
        Assert.Null(t.Limit);
    }

    [Fact]
    public void SeedsJobArgumentsWorkUnchanged()
    {
        var parsed = TrainerArgumentParser.Parse(["--epochs", "1", "--save-model", "--save-model-path", "/app/mnist.pt"]);

        Assert.Equal(1, parsed.Training.Epochs);
        Assert.True(parsed.SaveModel);
        Assert.Equal("/app/mnist.pt", parsed.SaveModelPath);
    }

    [Fact]
    public void EveryFlagIsReadInBothSpellings()
    {
        var parsed = TrainerArgumentParser.Parse([
            "--batch-size", "32", "--test-batch-size=500", "--lr", "0.5", "--gamma=0.9", "--no-cuda", "--no-mps", "--dry-run",
            "--seed", "42", "--log-interval", "5", "--data-dir", "/data", "--arch", "MLP", "--limit=1000", "--test-limit", "100",
            "--no-augment", "--target-accuracy", "99.2", "--threads", "2", "--training-id", "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
        ]);
        var t = parsed.Training;

        Assert.Equal((32, 500, 0.5, 0.9, true, 42L, 5), (t.BatchSize, t.TestBatchSize, t.LearningRate, t.Gamma, t.DryRun, t.Seed, t.LogInterval));
        Assert.Equal((Architecture.Mlp, 1000, 100, false, 2), (t.Architecture, t.Limit!.Value, t.TestLimit!.Value, t.Augment, t.Threads!.Value));
        Assert.Equal(0.992, t.TargetAccuracy!.Value, 6);
        Assert.Equal("/data", parsed.DataDirectory);
        Assert.Equal(Guid.Parse("3f2504e0-4f89-11d3-9a0c-0305e82c3301"), parsed.TrainingId);
    }

    [Theory]
    [InlineData("--bogus", "unknown flag '--bogus'")]
    [InlineData("--epochs", "--epochs needs a value")]
    [InlineData("--epochs 0", "--epochs expects a whole number above 0, not '0'")]
    [InlineData("--lr fast", "--lr expects a number above 0, not 'fast'")]
    [InlineData("--arch resnet", "--arch must be cnn or mlp, not 'resnet'")]
    [InlineData("--save-model=yes", "--save-model takes no value")]
    [InlineData("--target-accuracy 120", "--target-accuracy is a percentage")]
    [InlineData("--training-id 42", "--training-id expects a GUID, not '42'")]
    public void BadCommandLinesSayWhatIsWrong(string line, string message)
    {
        var e = Assert.Throws<UsageException>(() => TrainerArgumentParser.Parse(line.Split(' ')));
        Assert.Contains(message, e.Message);
    }
}
