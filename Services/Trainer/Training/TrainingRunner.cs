using MnistEvents.Contracts;
using MnistEvents.Model.Data;
using MnistEvents.Model.Evaluation;
using MnistEvents.Registry;
using MnistEvents.Model.Networks;
using MnistEvents.Model.Training;
using MnistEvents.ServiceDefaults;

namespace MnistEvents.Trainer.Training;

/// <summary>
/// The one way a training runs, for the worker, the command line and the Kubernetes Job alike: load MNIST and the
/// volume's corrections, <c>TrainingStarted</c>, train (on its own thread; <c>TrainingProgressed</c> at most four times a
/// second), build the real-uploads validation set, save a version and have the gate judge it beside the served model
/// (<see cref="CandidateJudging"/>), announce <c>ModelSaved</c> and the judgement (<c>CandidateJudged</c>: the controller
/// decides whether it serves), then <c>TrainingCompleted</c>; or, whichever step fails, <c>TrainingFailed</c> once, with
/// the step and the reason. What hears it (the bus, the console) is the caller's <see cref="ITrainingAnnouncer"/>.
/// </summary>
public sealed class TrainingRunner(ITrainingAnnouncer announcer, ILogger<TrainingRunner> logger)
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

    /// <param name="observer">Also told of progress on the training thread, as it happens (the console's seed-style lines).</param>
    public async Task<TrainingReport> RunAsync(TrainingRun run, ITrainingObserver? observer = null, CancellationToken cancellationToken = default)
    {
        var started = DateTimeOffset.UtcNow;
        // What was being done when something failed: the reason TrainingFailed gives starts with it.
        var step = "loading MNIST";
        try
        {
            var train = MnistDataset.LoadTrain(run.DataDirectory);
            var test = MnistDataset.LoadTest(run.DataDirectory);
            step = "reading the corrections";
            var corrections = run.Corrections is null ? CorrectionSplit.None : CorrectionSplit.Read(run.Corrections);
            await AnnounceStartAsync(run, train, corrections, started, cancellationToken);

            step = "training";
            var result = await TrainAsync(run, train, test, corrections, observer, cancellationToken);
            using var network = result.Network;
            if (run.Registry is not { } registry)
                return new TrainingReport(result.Final.Accuracy, result.Epochs.Count, result.Elapsed, null);

            step = "building the real-uploads validation set";
            var uploads = ValidationUploads.Load(registry.Volume.ValidationDirectory, test, run.Promotion.ValidationUploads);
            step = "saving and judging the model";
            var outcome = CandidateJudging.SaveAndJudge(registry, result, run.Training, test, uploads, corrections, run.Promotion, run.TrainingId,
                Lineage(run, train, corrections, result.TrainingExamples, started), [train.Take(run.Training.Limit), corrections.Train]);
            logger.LogInformation("Training {TrainingId} saved model {ModelVersion}; the gate {Verdict} it: {Reason}", run.TrainingId, outcome.Manifest.Version,
                Verdict(outcome.Decision), outcome.Decision.Reason);

            step = $"announcing model {outcome.Manifest.Version}, which is saved (replicas find the active one on the volume within their heartbeat),";
            foreach (var message in outcome.Change.Events) await announcer.AnnounceAsync(message, cancellationToken);
            await announcer.AnnounceAsync(RegistryEvents.Judged(outcome.Decision, run.TrainingId, run.Promotion.ShadowPredictions, run.Promotion.ShadowSampleRate),
                cancellationToken);
            await announcer.AnnounceAsync(new TrainingCompleted(run.TrainingId, outcome.Manifest.Version, result.Final.Accuracy, result.Epochs.Count,
                DateTimeOffset.UtcNow - started, DateTimeOffset.UtcNow), cancellationToken);
            return new TrainingReport(result.Final.Accuracy, result.Epochs.Count, result.Elapsed, outcome);
        }
        catch (Exception e)
        {
            return await FailAsync(run, step, e, cancellationToken);
        }
    }

    // The MNIST files are the four the loader verified by their sha256.
    private static TrainingLineage Lineage(TrainingRun run, MnistDataset train, CorrectionSplit corrections, int images, DateTimeOffset started)
    {
        var o = run.Training;
        var settings = new TrainingSettings(NetworkFactory.Name(o.Architecture), o.Epochs, o.BatchSize, o.EffectiveLearningRate, o.Limit, o.Augment, o.Seed,
            run.Promotion.PromoteRegardless, run.Promotion.ShadowPredictions);
        return new TrainingLineage(run.TrainingId, run.RequestedBy ?? run.By, started, settings, [.. MnistFile.All.Select(f => new FileDigest(f.Name, f.Sha256))],
            Math.Min(train.Count, o.Limit ?? int.MaxValue), images, corrections.Used());
    }

    public static string Verdict(PromotionDecision decision) => decision.Promoted ? "passed" : "refused";

    private async Task AnnounceStartAsync(TrainingRun run, MnistDataset train, CorrectionSplit corrections, DateTimeOffset started,
        CancellationToken cancellationToken)
    {
        var options = run.Training;
        var limited = Math.Min(train.Count, options.Limit ?? int.MaxValue);
        var examples = limited + TrainingMix.Repeats(limited, corrections.Train.Count) * corrections.Train.Count;
        await announcer.AnnounceAsync(new TrainingStarted(run.TrainingId, NetworkFactory.Name(options.Architecture), options.Epochs, options.BatchSize,
            options.EffectiveLearningRate, examples, ReplicaIdentity.Current, started), cancellationToken);
        logger.LogInformation("Training {TrainingId}: {Architecture}, {Epochs} epoch(s) on {Examples} images, {Corrections} of them people's corrections ({HeldBack} more held back to judge it, {Refused} not trusted)",
            run.TrainingId, NetworkFactory.Name(options.Architecture), options.Epochs, examples, examples - limited, corrections.HeldBack.Count, corrections.Judged.Refused.Count);
        if (corrections.Judged.Refused.Count > 0)
            logger.LogInformation("Training {TrainingId} corrections: {Corrections}", run.TrainingId, corrections.Judged.Summary());
    }

    private async Task<TrainingResult> TrainAsync(TrainingRun run, MnistDataset train, MnistDataset test, CorrectionSplit corrections,
        ITrainingObserver? observer, CancellationToken cancellationToken)
    {
        var progress = new LatestProgress(observer);
        var lastLogged = DateTimeOffset.MinValue;
        var training = Task.Factory.StartNew(() => MnistTrainer.Train(run.Training, train, test, progress, cancellationToken, corrections.Train),
            cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        while (!training.IsCompleted)
        {
            await Task.WhenAny(training, Task.Delay(ProgressInterval, cancellationToken));
            if (progress.Take() is not { } p) continue;
            await announcer.AnnounceAsync(new TrainingProgressed(run.TrainingId, p.Epoch, p.Epochs, p.Step, p.StepsPerEpoch, p.Loss, p.BatchAccuracy,
                p.ExamplesPerSecond, p.EstimatedRemaining, DateTimeOffset.UtcNow), cancellationToken);
            if (DateTimeOffset.UtcNow - lastLogged < TimeSpan.FromSeconds(3)) continue;
            lastLogged = DateTimeOffset.UtcNow;
            logger.LogInformation("Training {TrainingId}: epoch {Epoch}/{Epochs}, {Percent:0}%, loss {Loss:0.0000}, {Rate:0} img/s, ETA {Eta:m\\:ss}",
                run.TrainingId, p.Epoch, p.Epochs, 100.0 * p.ExamplesSeen / p.ExamplesPerEpoch, p.Loss, p.ExamplesPerSecond, p.EstimatedRemaining);
        }
        return await training;
    }

    private async Task<TrainingReport> FailAsync(TrainingRun run, string step, Exception e, CancellationToken cancellationToken)
    {
        var cancelled = e is OperationCanceledException && cancellationToken.IsCancellationRequested;
        var reason = cancelled ? "training was cancelled (the trainer is stopping)" : $"{step} failed: {e.Message}";
        // Stopping the trainer mid-run is something a person did, not something that broke.
        if (cancelled) logger.LogInformation("Training {TrainingId} stopped: {Reason}", run.TrainingId, reason);
        else logger.LogError(e, "Training {TrainingId} failed: {Reason}", run.TrainingId, reason);
        try
        {
            await announcer.AnnounceAsync(new TrainingFailed(run.TrainingId, reason, DateTimeOffset.UtcNow), CancellationToken.None);
        }
        catch (Exception announcing)
        {
            logger.LogError("Training {TrainingId}: could not announce its failure either: {Reason}", run.TrainingId, announcing.Message);
            return TrainingReport.Failed(reason) with { Unannounced = true };
        }
        return TrainingReport.Failed(reason);
    }
}
