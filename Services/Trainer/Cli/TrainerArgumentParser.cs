using System.Globalization;
using MnistEvents.Model.Data;
using MnistEvents.Model.Evaluation;
using MnistEvents.Model.Networks;
using MnistEvents.Model.Training;
using MnistEvents.ServiceDefaults.Retraining;

namespace MnistEvents.Trainer.Cli;

/// <summary>
/// The pytorch/examples MNIST flags, with the same defaults and meaning (so the seed's Job args
/// <c>--epochs 1 --save-model --save-model-path /app/mnist.pt</c> work unchanged), plus this project's own.
/// </summary>
public static class TrainerArgumentParser
{
    public const string Usage = """
        usage: trainer [options]

        pytorch/examples MNIST flags (same defaults):
          --batch-size N         input batch size for training (64)
          --test-batch-size N    input batch size for testing (1000)
          --epochs N             number of epochs to train (14)
          --lr LR                learning rate (1.0; 2.0 for the default CNN, see below)
          --gamma G              learning rate step gamma (0.7)
          --no-cuda, --no-mps    accepted for compatibility; training runs on the CPU
          --dry-run              quickly check a single pass
          --seed S               random seed (1)
          --log-interval N       batches to wait before logging training status (10)
          --save-model           save the trained model
          --save-model-path P    where --save-model writes it (mnist.pt)

        MnistEvents flags:
          --data-dir D           directory of the MNIST IDX files ($MNIST_DATA_DIR, else data/mnist)
          --arch cnn|mlp         network: the default CNN (with batch norm, lr 2.0) or the seed's MLP (cnn)
          --limit N              train on the first N training images only
          --test-limit N         evaluate on the first N test images only
          --no-augment           no random rotation/scale/shift of training images
          --target-accuracy PCT  stop after the first epoch reaching PCT% test accuracy
          --threads N            CPU threads for TorchSharp (one per core)
          --training-id GUID     the id its bus events carry (a launched Job's request); new if absent

        Versions and promotion (--save-model writes a new version beside the path; it is served only if promoted):
          --promotion-tolerance PTS  how many points worse than the active model a candidate may be (0.5)
          --promote-regardless   promote even a worse candidate
          --validation-uploads N size of the real-uploads validation set (1000)
          --keep-versions N      versions kept beside the active one and the one before it (10)
          --shadow-predictions N before serving a candidate the gate lets through, have the replicas shadow it on N
                                 live digits (0: serve at once)
          --shadow-sample-rate R the share of live batches it is shadowed on (0.25)
          -h, --help             show this help
        """;

    public static TrainerArguments Parse(IReadOnlyList<string> args)
    {
        var options = new TrainingOptions();
        var promotion = new PromotionOptions();
        string? dataDirectory = null;
        var saveModel = false;
        var saveModelPath = "mnist.pt";
        var help = false;
        Guid? trainingId = null;

        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? inline = null;
            var eq = arg.IndexOf('=');
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                inline = arg[(eq + 1)..];
                arg = arg[..eq];
            }

            string Value()
            {
                if (inline is not null) return inline;
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    throw new UsageException($"{arg} needs a value");
                return args[++i];
            }

            void NoValue()
            {
                if (inline is not null) throw new UsageException($"{arg} takes no value");
            }

            switch (arg)
            {
                case "--batch-size": options = options with { BatchSize = Positive(arg, Value()) }; break;
                case "--test-batch-size": options = options with { TestBatchSize = Positive(arg, Value()) }; break;
                case "--epochs": options = options with { Epochs = Positive(arg, Value()) }; break;
                case "--lr": options = options with { LearningRate = PositiveDouble(arg, Value()) }; break;
                case "--gamma": options = options with { Gamma = PositiveDouble(arg, Value()) }; break;
                case "--no-cuda" or "--no-mps": NoValue(); break;
                case "--dry-run": NoValue(); options = options with { DryRun = true }; break;
                case "--seed": options = options with { Seed = Integer(arg, Value()) }; break;
                case "--log-interval": options = options with { LogInterval = Positive(arg, Value()) }; break;
                case "--save-model": NoValue(); saveModel = true; break;
                case "--save-model-path": saveModelPath = NonEmpty(arg, Value()); break;
                case "--data-dir": dataDirectory = NonEmpty(arg, Value()); break;
                case "--arch":
                    var name = Value();
                    if (!NetworkFactory.TryParse(name, out var architecture))
                        throw new UsageException($"--arch must be cnn or mlp, not '{name}'");
                    options = options with { Architecture = architecture };
                    break;
                case "--limit": options = options with { Limit = Positive(arg, Value()) }; break;
                case "--test-limit": options = options with { TestLimit = Positive(arg, Value()) }; break;
                case "--no-augment": NoValue(); options = options with { Augment = false }; break;
                case "--target-accuracy":
                    var percent = PositiveDouble(arg, Value());
                    if (percent > 100) throw new UsageException($"--target-accuracy is a percentage (0-100], not {percent}");
                    options = options with { TargetAccuracy = percent / 100 };
                    break;
                case "--threads": options = options with { Threads = Positive(arg, Value()) }; break;
                case "--training-id":
                    var id = Value();
                    trainingId = Guid.TryParse(id, out var parsed) ? parsed : throw new UsageException($"--training-id expects a GUID, not '{id}'");
                    break;
                case "--promotion-tolerance": promotion = promotion with { TolerancePoints = NonNegativeDouble(arg, Value()) }; break;
                case "--promote-regardless": NoValue(); promotion = promotion with { PromoteRegardless = true }; break;
                case "--validation-uploads": promotion = promotion with { ValidationUploads = Positive(arg, Value()) }; break;
                case "--keep-versions": promotion = promotion with { KeepVersions = Positive(arg, Value()) }; break;
                case "--shadow-predictions": promotion = promotion with { ShadowPredictions = NonNegative(arg, Value()) }; break;
                case "--shadow-sample-rate":
                    var rate = PositiveDouble(arg, Value());
                    promotion = promotion with { ShadowSampleRate = rate <= 1 ? rate : throw new UsageException($"--shadow-sample-rate is a share of batches (0, 1], not {rate}") };
                    break;
                case "-h" or "--help": help = true; break;
                default: throw new UsageException($"unknown flag '{args[i]}' (see --help)");
            }
        }

        return new TrainerArguments(options, dataDirectory ?? MnistDirectory.Default(), saveModel, saveModelPath, help, trainingId, promotion);
    }

    private static long Integer(string flag, string value) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new UsageException($"{flag} expects a whole number, not '{value}'");

    private static int Positive(string flag, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new UsageException($"{flag} expects a whole number above 0, not '{value}'");

    private static long NonNegative(string flag, string value) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n is >= 0 and <= RetrainRules.MaximumShadowPredictions
            ? n
            : throw new UsageException($"{flag} expects a whole number from 0 to {RetrainRules.MaximumShadowPredictions}, not '{value}'");

    private static double PositiveDouble(string flag, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d > 0 && double.IsFinite(d)
            ? d
            : throw new UsageException($"{flag} expects a number above 0, not '{value}'");

    private static double NonNegativeDouble(string flag, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= 0 && double.IsFinite(d)
            ? d
            : throw new UsageException($"{flag} expects a number of at least 0, not '{value}'");

    private static string NonEmpty(string flag, string value) =>
        string.IsNullOrWhiteSpace(value) ? throw new UsageException($"{flag} needs a non-empty value") : value;
}
