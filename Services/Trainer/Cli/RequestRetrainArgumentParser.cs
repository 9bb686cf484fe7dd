using MassTransit;
using MnistEvents.Contracts;
using MnistEvents.ServiceDefaults;

namespace MnistEvents.Trainer.Cli;

/// <summary>The flags of <c>trainer request-retrain</c>: the settings <c>POST /retrain</c> takes, and how to follow the training.</summary>
public static class RequestRetrainArgumentParser
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromHours(2);

    public const string Usage = """
        usage: trainer request-retrain [options]

        Publishes RequestRetrain to the broker's request-retrain exchange, as any AMQP client may (README, "Retraining
        from any AMQP client"), connecting with Bus__RabbitMQ__* (Bus__Transport=RabbitMQ). Settings left out take the
        trainer's defaults.

          --epochs N             number of epochs to train
          --batch-size N         input batch size for training
          --lr LR                learning rate
          --limit N              train on the first N training images only
          --promote-regardless   serve the result even if the promotion gate would refuse it
          --shadow-predictions N have the replicas shadow a candidate the gate lets through on N live digits before it serves
          --requested-by TEXT    who or what asks, as the training's history will say (request-retrain on this host)
          --training-id GUID     the training's id (new if absent); the trainer runs one id once
          --wait                 follow the training: print its progress and the gate's verdict, and exit
                                   0 when the new version serves, 3 when the gate refused it, 1 when it failed
          --timeout SECONDS      with --wait, give up (exit 1) after this long (7200)
          -h, --help             show this help

        Without --wait it exits 0 once the broker has the request, 1 when it could not take it, 2 on bad flags.
        """;

    public static RequestRetrainArguments Parse(IReadOnlyList<string> args)
    {
        int? epochs = null, batchSize = null, limit = null;
        double? learningRate = null;
        long? shadowPredictions = null;
        var promoteRegardless = false;
        var wait = false;
        var help = false;
        string? requestedBy = null;
        Guid? trainingId = null;
        TimeSpan? timeout = null;

        var flags = new FlagReader(args);
        while (flags.MoveNext())
        {
            switch (flags.Flag)
            {
                case "--epochs": epochs = flags.Positive(); break;
                case "--batch-size": batchSize = flags.Positive(); break;
                case "--lr": learningRate = flags.PositiveDouble(); break;
                case "--limit": limit = flags.Positive(); break;
                case "--promote-regardless": flags.NoValue(); promoteRegardless = true; break;
                case "--shadow-predictions": shadowPredictions = flags.ShadowPredictions(); break;
                case "--requested-by": requestedBy = flags.NonEmpty(); break;
                case "--training-id": trainingId = flags.Guid(); break;
                case "--wait": flags.NoValue(); wait = true; break;
                case "--timeout": timeout = TimeSpan.FromSeconds(flags.Positive()); break;
                case "-h" or "--help": help = true; break;
                default: throw flags.Unknown();
            }
        }
        if (timeout is not null && !wait) throw new UsageException("--timeout only bounds --wait");

        var request = new RequestRetrain(trainingId ?? NewId.NextGuid(), epochs, batchSize, learningRate, limit,
            requestedBy ?? $"request-retrain on {ReplicaIdentity.Current}", DateTimeOffset.UtcNow, promoteRegardless, shadowPredictions);
        return new RequestRetrainArguments(request, wait, timeout ?? DefaultTimeout, help);
    }
}
