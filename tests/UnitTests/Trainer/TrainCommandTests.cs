using MnistEvents.Model.Data;
using MnistEvents.Model.Store;
using MnistEvents.Model.Training;
using MnistEvents.Registry;
using MnistEvents.ServiceDefaults.Retraining;
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

        Assert.Equal(TrainerExitCodes.Ok, code);
        var text = output.ToString();
        Assert.Contains("Train Epoch: 1 [64/2000 (3%)]\tLoss: ", text);
        Assert.Contains("Train Epoch: 1 [2000/2000 (100%)]", text);
        Assert.Matches(@"ETA \d+:\d\d", text);
        Assert.Matches(@"Test set: Average loss: \d\.\d{4}, Accuracy: \d+/500 \(\d+\.\d\d%\)", text);
        using var model = ModelStore.Load(path);
        Assert.Contains($"Saved model {model.Manifest.Version}", text);
        // No broker: the command line's own controller decided, on the same volume, and said so.
        Assert.Contains($"The gate passed {model.Manifest.Version}: the first model", text);
        Assert.Contains($"Promoted: {path} serves {model.Manifest.Version} (was none)", text);
        Assert.Equal("Promoted", Assert.Single(Directory.GetFiles(new ModelVolume(path).RetrainsDirectory)) is { } file
            ? System.Text.Json.JsonDocument.Parse(File.ReadAllText(file)).RootElement.GetProperty("currentState").GetString() : null);
        Assert.Equal(2000, model.Manifest.TrainingExamples);
        Assert.Equal("", error.ToString());
    }

    [Fact]
    public async Task TheCommandLineLearnsFromTheVolumesCorrectionsAsTheWorkerDoes()
    {
        // One training path: the command line mixes in the corrections the gateway kept beside the versions.
        var volume = new ModelVolume(Path.Combine(TestData.TempDirectory(), "mnist.pt"));
        using (var corrections = new CorrectionsLog(volume, 100))
            for (var i = 0; i < 10; i++)
                await corrections.AddAsync(new CorrectionRecord(Guid.NewGuid(), TestData.Test.Labels[i], 0, "v", TestData.Test.Image(i).ToArray(),
                    DateTimeOffset.UtcNow), CancellationToken.None);
        var trained = CorrectionSplit.Read(new CorrectionsLog(volume, 100)).Train.Count;

        var code = await TrainCommand.RunAsync(["--epochs", "1", "--limit", "500", "--test-limit", "200", "--validation-uploads", "50", "--save-model",
            "--save-model-path", volume.ModelPath, "--data-dir", MnistDirectory.Default()], new StringWriter(), new StringWriter());

        Assert.Equal(TrainerExitCodes.Ok, code);
        Assert.Equal(trained, new ModelRegistry(volume).ActiveManifest!.Corrections);
    }

    [Theory]
    [InlineData("--epochs", "31", "epochs must be between 1 and 30")]
    [InlineData("--limit", "50", "limit must be at least 100 training images")]
    [InlineData("--batch-size", "5000", "batch size must be between 1 and 4096")]
    public async Task SettingsNoTrainerWouldRunAreRefusedInTheWordsOfTheRetrainRules(string flag, string value, string reason)
    {
        var error = new StringWriter();

        Assert.Equal(TrainerExitCodes.BadUsage, await TrainCommand.RunAsync([flag, value], new StringWriter(), error));
        Assert.Equal($"trainer: {reason}", error.ToString().Trim());
    }

    [Fact]
    public async Task MissingDataExitsNonZeroNamingTheFile()
    {
        var dir = TestData.TempDirectory();
        var error = new StringWriter();

        var code = await TrainCommand.RunAsync(["--data-dir", dir], new StringWriter(), error);

        Assert.Equal(TrainerExitCodes.Failed, code);
        Assert.StartsWith("trainer: loading MNIST failed: ", error.ToString());
        Assert.Contains(Path.Combine(dir, "train-images-idx3-ubyte"), error.ToString());
    }

    [Fact]
    public async Task UnknownFlagExitsWithUsageError()
    {
        var error = new StringWriter();

        Assert.Equal(TrainerExitCodes.BadUsage, await TrainCommand.RunAsync(["--epoch", "1"], new StringWriter(), error));
        Assert.Contains("unknown flag '--epoch'", error.ToString());
    }

    [Fact]
    public async Task HelpListsTheSeedsFlags()
    {
        var output = new StringWriter();

        Assert.Equal(TrainerExitCodes.Ok, await TrainCommand.RunAsync(["--help"], output, new StringWriter()));
        Assert.Contains("--save-model-path", output.ToString());
    }
}
