using MnistEvents.Model.Data;
using MnistEvents.Model.Store;
using MnistEvents.Trainer.Cli;
using MnistEvents.TestSupport;

namespace MnistEvents.UnitTests.Trainer;

public class TrainCommandTests
{
    [Fact]
    public async Task TrainsPrintsSeedStyleProgressAndSavesALoadableModel()
    {
        var path = Path.Combine(TestData.TempDirectory(), "out", "mnist.pt");
        var output = new StringWriter();
        var error = new StringWriter();

        // A small gate's set (100 uploads, not 1,000): what the command saves is this test's subject, not the gate.
        var code = await TrainCommand.RunAsync(["--epochs", "1", "--limit", "2000", "--test-limit", "500", "--validation-uploads", "100", "--save-model", "--save-model-path", path,
            "--data-dir", MnistDirectory.Default()], output, error);

        Assert.Equal(TrainCommand.Ok, code);
        var text = output.ToString();
        Assert.Contains("Train Epoch: 1 [64/2000 (3%)]\tLoss: ", text);
        Assert.Contains("Train Epoch: 1 [2000/2000 (100%)]", text);
        Assert.Matches(@"ETA \d+:\d\d", text);
        Assert.Matches(@"Test set: Average loss: \d\.\d{4}, Accuracy: \d+/500 \(\d+\.\d\d%\)", text);
        using var model = ModelStore.Load(path);
        Assert.Contains($"Saved model {model.Manifest.Version}", text);
        Assert.Equal(2000, model.Manifest.TrainingExamples);
        Assert.Equal("", error.ToString());
    }

    [Fact]
    public async Task MissingDataExitsNonZeroNamingTheFile()
    {
        var dir = TestData.TempDirectory();
        var error = new StringWriter();

        var code = await TrainCommand.RunAsync(["--data-dir", dir], new StringWriter(), error);

        Assert.Equal(TrainCommand.Failed, code);
        Assert.Contains(Path.Combine(dir, "train-images-idx3-ubyte"), error.ToString());
    }

    [Fact]
    public async Task UnknownFlagExitsWithUsageError()
    {
        var error = new StringWriter();

        Assert.Equal(TrainCommand.BadUsage, await TrainCommand.RunAsync(["--epoch", "1"], new StringWriter(), error));
        Assert.Contains("unknown flag '--epoch'", error.ToString());
    }

    [Fact]
    public async Task HelpListsTheSeedsFlags()
    {
        var output = new StringWriter();

        Assert.Equal(TrainCommand.Ok, await TrainCommand.RunAsync(["--help"], output, new StringWriter()));
        Assert.Contains("--save-model-path", output.ToString());
    }
}
