using System.Globalization;
using MnistEvents.Model.Data;
using MnistEvents.Model.Networks;
using MnistEvents.Model.Store;
using MnistEvents.Model.Training;

namespace MnistEvents.Trainer.Cli;

/// <summary>The Trainer's command line: parse, load MNIST, train, evaluate, save. Returns the process exit code.</summary>
public static class TrainCommand
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadUsage = 2;

    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        TrainerArguments parsed;
        try
        {
            parsed = TrainerArgumentParser.Parse(args);
        }
        catch (UsageException e)
        {
            error.WriteLine($"trainer: {e.Message}");
            return BadUsage;
        }
        if (parsed.Help)
        {
            output.WriteLine(TrainerArgumentParser.Usage);
            return Ok;
        }

        try
        {
            var train = MnistDataset.LoadTrain(parsed.DataDirectory);
            var test = MnistDataset.LoadTest(parsed.DataDirectory);
            var options = parsed.Training;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Training {NetworkFactory.Name(options.Architecture)} on {Math.Min(train.Count, options.Limit ?? int.MaxValue)} MNIST images from {Path.GetFullPath(parsed.DataDirectory)}, {options.Epochs} epoch(s), batch {options.BatchSize}, lr {options.LearningRate}, gamma {options.Gamma}"));

            var result = MnistTrainer.Train(options, train, test, new ConsoleTrainingObserver(output), cancellationToken);
            using var network = result.Network;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Trained in {result.Elapsed.TotalSeconds:0.0} s: test accuracy {100 * result.Final.Accuracy:0.00}% after {result.Epochs.Count} epoch(s)"));

            if (parsed.SaveModel)
            {
                var manifest = ModelStore.Save(network, parsed.SaveModelPath, options.Architecture, result.Final.Accuracy,
                    result.Epochs.Count, result.TrainingExamples);
                output.WriteLine($"Saved model {manifest.Version} to {Path.GetFullPath(parsed.SaveModelPath)} (sha256 {manifest.Sha256})");
            }
            return Ok;
        }
        catch (MnistDataException e)
        {
            error.WriteLine($"trainer: {e.Message}");
            return Failed;
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("trainer: cancelled");
            return Failed;
        }
    }
}
