using MnistEvents.Model.Data;
using MnistEvents.Model.Store;
using MnistEvents.Model.Training;
using MnistEvents.Registry;

namespace MnistEvents.Model.Evaluation;

/// <summary>
/// A finished training's way onto the volume: saved as a new version (a candidate), scored beside the active model
/// on the same MNIST test images and real-uploads validation set, and judged by <see cref="PromotionGate"/>; old
/// versions pruned. The verdict is the trainer's judgement, reported, not recorded: whether the candidate then serves,
/// is shadowed first, or never serves is the controller's decision.
/// </summary>
public static class CandidateJudging
{
    private const int EvaluationBatch = 1000;

    /// <param name="uploads">The real-uploads validation set, to which the held-back <paramref name="corrections"/> are added.</param>
    /// <param name="corrections">The corrections the training used (counted in the manifest) and held back (judged on).</param>
    /// <param name="lineage">Where the version came from, kept beside it.</param>
    /// <param name="trainedOn">The images it learnt from, each once (MNIST's and the corrections), for its data profile; without them the profile holds the validation data alone.</param>
    public static PromotionOutcome SaveAndJudge(ModelRegistry registry, TrainingResult result, TrainingOptions training,
        MnistDataset test, MnistDataset uploads, CorrectionSplit corrections, PromotionOptions options, Guid? trainingId = null,
        TrainingLineage? lineage = null, IReadOnlyList<MnistDataset>? trainedOn = null)
    {
        // The seed's plain file becomes a version first, so a refused or regretted candidate can go back to it.
        ModelStore.AdoptUnversioned(registry);

        test = test.Take(training.TestLimit);
        uploads = new MnistDataset([.. uploads.Images, .. corrections.HeldBack.Images], [.. uploads.Labels, .. corrections.HeldBack.Labels]);
        trainedOn ??= [];
        var candidateUploads = MnistTrainer.Evaluate(result.Network, uploads, EvaluationBatch).Accuracy;
        var (manifest, change) = ModelStore.SaveVersion(registry, result.Network, training.Architecture, result.Final.Accuracy, result.Epochs.Count,
            result.TrainingExamples, candidateUploads, corrections.Train.Count, trainingId, lineage, DataProfile.Of(result.Network, trainedOn, [test, uploads]));

        var heldBack = corrections.HeldBack.Count > 0 ? corrections.HeldBack : null;
        var active = registry.ActiveVersion;
        double? activeMnist = null, activeUploads = null, activeCorrections = null;
        if (active is not null)
        {
            try
            {
                using var served = ModelStore.Load(registry.VersionModelPath(active));
                activeMnist = MnistTrainer.Evaluate(served.Network, test, EvaluationBatch).Accuracy;
                activeUploads = MnistTrainer.Evaluate(served.Network, uploads, EvaluationBatch).Accuracy;
                activeCorrections = heldBack is null ? null : MnistTrainer.Evaluate(served.Network, heldBack, EvaluationBatch).Accuracy;
                // The seed's adopted file came without scores or a data profile; now it has them, for GET /models and its drift.
                var profile = registry.Find(active)?.Profile is null ? DataProfile.Of(served.Network, trainedOn, [test, uploads]) : null;
                registry.RecordScores(active, activeMnist.Value, activeUploads.Value, profile);
            }
            catch (ModelStoreException)
            {
                // An active version that cannot be read is no standard to hold a candidate to: it is judged as the first.
                active = null;
            }
        }

        var decision = PromotionGate.Judge(manifest.Version, result.Final.Accuracy, candidateUploads, active, activeMnist, activeUploads,
            options.TolerancePoints, options.PromoteRegardless, DateTimeOffset.UtcNow);
        if (heldBack is not null)
            decision = PromotionGate.WithHeldBackCorrections(decision, heldBack.Count, MnistTrainer.Evaluate(result.Network, heldBack, EvaluationBatch).Accuracy,
                active is null ? null : activeCorrections);
        if (corrections.Judged.Trusted.Count + corrections.Judged.Refused.Count > 0)
            decision = PromotionGate.WithCorrectionsUsed(decision, corrections.Train.Count, corrections.Judged.Refused.Count, corrections.Summary());
        return new PromotionOutcome(manifest, decision, change, registry.Prune(options.KeepVersions));
    }
}
