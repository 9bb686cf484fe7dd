using MassTransit;
using MnistEvents.Contracts;
using MnistEvents.Model.Data;
using MnistEvents.Model.Evaluation;
using MnistEvents.Model.Networks;
using MnistEvents.Model.Training;
using MnistEvents.Registry;
using MnistEvents.ServiceDefaults;

namespace MnistEvents.Trainer.Worker;

/// <summary>
/// One training run on the bus: <c>TrainingStarted</c>, <c>TrainingProgressed</c> at most four times a second, the
/// new version saved (<c>ModelSaved</c>), the promotion gate's <c>PromotionDecided</c> (and <c>ModelActivated</c> when
/// promoted, or <c>ShadowStarted</c> when its promotion waits on shadowing), then <c>TrainingCompleted</c>; or
/// <c>TrainingFailed</c> with the reason.
/// Training runs on its own thread; this method only samples and publishes.
/// </summary>
public sealed class TrainingRunner(IPublishEndpoint publish, ILogger<TrainingRunner> logger)
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

    public async Task<PromotionOutcome?> RunAsync(Guid trainingId, TrainingOptions options, PromotionOptions promotion, string dataDirectory,
        string modelPath, ITrainingObserver? observer = null, CancellationToken cancellationToken = default)
    {
        var started = DateTimeOffset.UtcNow;
        // What was being done when something failed: the reason TrainingFailed gives starts with it.
        var step = "loading MNIST";
        try
        {
            var train = MnistDataset.LoadTrain(dataDirectory);
            var test = MnistDataset.LoadTest(dataDirectory);
            step = "reading the corrections";
            var registry = new ModelRegistry(modelPath);
            var corrections = CorrectionSplit.Read(registry);
            var limited = Math.Min(train.Count, options.Limit ?? int.MaxValue);
            var examples = limited + TrainingMix.Repeats(limited, corrections.Train.Count) * corrections.Train.Count;
            await publish.Publish(new TrainingStarted(trainingId, NetworkFactory.Name(options.Architecture), options.Epochs, options.BatchSize,
                options.EffectiveLearningRate, examples, ReplicaIdentity.Current, started), cancellationToken);
            logger.LogInformation("Training {TrainingId}: {Architecture}, {Epochs} epoch(s) on {Examples} images, {Corrections} of them people's corrections ({HeldBack} more held back to judge it)",
                trainingId, NetworkFactory.Name(options.Architecture), options.Epochs, examples, examples - limited, corrections.HeldBack.Count);

            step = "training";
            var progress = new LatestProgress(observer);
            var lastLogged = DateTimeOffset.MinValue;
            var training = Task.Factory.StartNew(() => MnistTrainer.Train(options, train, test, progress, cancellationToken, corrections.Train),
                cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            while (!training.IsCompleted)
            {
                await Task.WhenAny(training, Task.Delay(ProgressInterval, cancellationToken));
                if (progress.Take() is not { } p) continue;
                await PublishProgress(trainingId, p, cancellationToken);
                if (DateTimeOffset.UtcNow - lastLogged < TimeSpan.FromSeconds(3)) continue;
                lastLogged = DateTimeOffset.UtcNow;
                logger.LogInformation("Training {TrainingId}: epoch {Epoch}/{Epochs}, {Percent:0}%, loss {Loss:0.0000}, {Rate:0} img/s, ETA {Eta:m\\:ss}",
                    trainingId, p.Epoch, p.Epochs, 100.0 * p.ExamplesSeen / p.ExamplesPerEpoch, p.Loss, p.ExamplesPerSecond, p.EstimatedRemaining);
            }

            var result = await training;
            using var network = result.Network;
            step = "building the real-uploads validation set";
            var uploads = ValidationUploads.Load(registry.Root, test, promotion.ValidationUploads);
            step = "saving and judging the model";
            var outcome = CandidatePromotion.SaveAndJudge(registry, result, options, test, uploads, corrections, promotion, $"training {trainingId}");
            var (manifest, decision) = (outcome.Manifest, outcome.Decision);
            logger.LogInformation("Training {TrainingId} saved model {ModelVersion}: {Verdict}, {Reason}", trainingId, manifest.Version,
                Verdict(decision), decision.Reason);
            step = $"announcing model {manifest.Version}, which is saved (replicas find the active one on the volume within their heartbeat),";
            await publish.Publish(RegistryEvents.Saved(manifest, trainingId), cancellationToken);
            foreach (var superseded in outcome.Superseded ?? []) await publish.Publish(RegistryEvents.Decided(superseded), cancellationToken);
            await publish.Publish(RegistryEvents.Decided(decision, trainingId), cancellationToken);
            if (outcome.Activation is { } activation) await publish.Publish(RegistryEvents.Activated(manifest, activation), cancellationToken);
            if (outcome.Shadow is { } shadow) await publish.Publish(RegistryEvents.Started(shadow), cancellationToken);
            await publish.Publish(new TrainingCompleted(trainingId, manifest.Version, result.Final.Accuracy, result.Epochs.Count,
                DateTimeOffset.UtcNow - started, DateTimeOffset.UtcNow), cancellationToken);
            return outcome;
        }
        catch (Exception e)
        {
            // Whatever failed, at whichever step, the run ends in TrainingFailed with the reason.
            var cancelled = e is OperationCanceledException && cancellationToken.IsCancellationRequested;
            var reason = cancelled ? "training was cancelled (the trainer is stopping)" : $"{step} failed: {e.Message}";
            // Stopping the trainer mid-run is something a person did, not something that broke.
            if (cancelled) logger.LogInformation("Training {TrainingId} stopped: {Reason}", trainingId, reason);
            else logger.LogError(e, "Training {TrainingId} failed: {Reason}", trainingId, reason);
            try
            {
                await publish.Publish(new TrainingFailed(trainingId, reason, DateTimeOffset.UtcNow), CancellationToken.None);
            }
            catch (Exception publishing)
            {
                logger.LogError("Training {TrainingId}: could not announce its failure either: {Reason}", trainingId, publishing.Message);
            }
            return null;
        }
    }

    public static string Verdict(PromotionDecision decision) =>
        decision.Pending ? "waiting to be shadowed" : decision.Promoted ? "promoted" : "refused";

    private Task PublishProgress(Guid trainingId, TrainingProgress p, CancellationToken cancellationToken) =>
        publish.Publish(new TrainingProgressed(trainingId, p.Epoch, p.Epochs, p.Step, p.StepsPerEpoch, p.Loss, p.BatchAccuracy,
            p.ExamplesPerSecond, p.EstimatedRemaining, DateTimeOffset.UtcNow), cancellationToken);
}
