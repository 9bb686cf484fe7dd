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
          --requested-by TEXT    who or what asked for it, for the version's lineage (a launched Job's requester)

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
        string? requestedBy = null;

        var flags = new FlagReader(args);
        while (flags.MoveNext())
        {
            switch (flags.Flag)
            {
                case "--batch-size": options = options with { BatchSize = flags.Positive() }; break;
                case "--test-batch-size": options = options with { TestBatchSize = flags.Positive() }; break;
                case "--epochs": options = options with { Epochs = flags.Positive() }; break;
                case "--lr": options = options with { LearningRate = flags.PositiveDouble() }; break;
                case "--gamma": options = options with { Gamma = flags.PositiveDouble() }; break;
                case "--no-cuda" or "--no-mps": flags.NoValue(); break;
                case "--dry-run": flags.NoValue(); options = options with { DryRun = true }; break;
                case "--seed": options = options with { Seed = flags.Integer() }; break;
                case "--log-interval": options = options with { LogInterval = flags.Positive() }; break;
                case "--save-model": flags.NoValue(); saveModel = true; break;
                case "--save-model-path": saveModelPath = flags.NonEmpty(); break;
                case "--data-dir": dataDirectory = flags.NonEmpty(); break;
                case "--arch":
                    var name = flags.Value();
                    if (!NetworkFactory.TryParse(name, out var architecture))
                        throw new UsageException($"--arch must be cnn or mlp, not '{name}'");
                    options = options with { Architecture = architecture };
                    break;
                case "--limit": options = options with { Limit = flags.Positive() }; break;
                case "--test-limit": options = options with { TestLimit = flags.Positive() }; break;
                case "--no-augment": flags.NoValue(); options = options with { Augment = false }; break;
                case "--target-accuracy":
                    var percent = flags.PositiveDouble();
                    if (percent > 100) throw new UsageException($"--target-accuracy is a percentage (0-100], not {percent}");
                    options = options with { TargetAccuracy = percent / 100 };
                    break;
                case "--threads": options = options with { Threads = flags.Positive() }; break;
                case "--training-id": trainingId = flags.Guid(); break;
                case "--requested-by": requestedBy = flags.NonEmpty(); break;
                case "--promotion-tolerance": promotion = promotion with { TolerancePoints = flags.NonNegativeDouble() }; break;
                case "--promote-regardless": flags.NoValue(); promotion = promotion with { PromoteRegardless = true }; break;
                case "--validation-uploads": promotion = promotion with { ValidationUploads = flags.Positive() }; break;
                case "--keep-versions": promotion = promotion with { KeepVersions = flags.Positive() }; break;
                case "--shadow-predictions": promotion = promotion with { ShadowPredictions = flags.ShadowPredictions() }; break;
                case "--shadow-sample-rate":
                    var rate = flags.PositiveDouble();
                    promotion = promotion with { ShadowSampleRate = rate <= 1 ? rate : throw new UsageException($"--shadow-sample-rate is a share of batches (0, 1], not {rate}") };
                    break;
                case "-h" or "--help": help = true; break;
                default: throw flags.Unknown();
            }
        }

        return new TrainerArguments(options, dataDirectory ?? MnistDirectory.Default(), saveModel, saveModelPath, help, trainingId, promotion, requestedBy);
    }
}
