namespace MnistEvents.Registry;

/// <summary>
/// Every path on the model volume, derived from one setting: the served model's path (the seed's <c>/models/mnist.pt</c>).
/// Whoever writes a file and whoever reads it take its path from here, so no setting can send them to different places.
/// <code>
/// mnist.pt -> active/mnist.pt          the seed's path, so torch.load and a predictor given only it see the active version
/// mnist.pt.json -> active/mnist.pt.json
/// active -> versions/&lt;version&gt;        the pointer: one symbolic link, replaced in one rename
/// versions/&lt;version&gt;/                 every kept version: mnist.pt, its manifest, the gate's promotion.json, shadowed.json
/// activations.jsonl                    append-only history (which version, replacing which, who, when)
/// shadow.json                          what the replicas shadow, and whether a candidate's promotion waits on it
/// feedback/corrections.jsonl           people's corrections (POST /feedback), which the next training mixes in as far as they are trusted
/// feedback/reviews.jsonl               admins' verdicts on corrections (accepted, rejected, deleted)
/// async-results/                       accepted async predictions and their results, one segment per gateway per minute
/// training-jobs/                       the trainer worker's journal of the trainings it was asked to run
/// retrains/                            each training's state as the controller's state machine keeps it, by training id
/// validation/                          the real-uploads validation set, cached once rendered
/// .registry.lock                       one writer at a time across processes
/// </code>
/// </summary>
public sealed class ModelVolume
{
    public const string DefaultModelPath = "models/mnist.pt";

    /// <param name="lockPatience">How long a writer waits for the store's lock before giving up (<see cref="ModelVolumeOptions.LockPatience"/>).</param>
    public ModelVolume(string modelPath, TimeSpan? lockPatience = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        LockPatience = lockPatience ?? ModelVolumeOptions.DefaultLockPatience;
        ModelPath = Path.GetFullPath(modelPath);
        Root = Path.GetDirectoryName(ModelPath)!;
        ModelFileName = Path.GetFileName(ModelPath);
    }

    public TimeSpan LockPatience { get; }

    /// <summary>The served path: a link into the active version, or the seed's plain file.</summary>
    public string ModelPath { get; }

    public string ModelManifestPath => ManifestPath(ModelPath);

    /// <summary>The directory the volume is: everything else lives here.</summary>
    public string Root { get; }

    /// <summary>The model's file name, the same in every version's directory.</summary>
    public string ModelFileName { get; }

    public string VersionsDirectory => Path.Combine(Root, "versions");

    public string ActiveLink => Path.Combine(Root, ActiveLinkName);

    /// <summary>Where the seed's path points: the model inside whichever version <see cref="ActiveLink"/> names, relative to <see cref="Root"/>.</summary>
    public string ActiveModelTarget => Path.Combine(ActiveLinkName, ModelFileName);

    public string HistoryPath => Path.Combine(Root, "activations.jsonl");

    public string ShadowPlanPath => Path.Combine(Root, "shadow.json");

    public string LockPath => Path.Combine(Root, ".registry.lock");

    public string CorrectionsPath => Path.Combine(Root, "feedback", "corrections.jsonl");

    /// <summary>Admins' verdicts on corrections, append-only: the latest per correction holds.</summary>
    public string CorrectionReviewsPath => Path.Combine(Root, "feedback", "reviews.jsonl");

    public string AsyncResultsDirectory => Path.Combine(Root, "async-results");

    public string TrainingJobsDirectory => Path.Combine(Root, "training-jobs");

    public string RetrainsDirectory => Path.Combine(Root, "retrains");

    public string ValidationDirectory => Path.Combine(Root, "validation");

    public static string ManifestPath(string modelPath) => modelPath + ".json";

    internal const string ActiveLinkName = "active";
}
