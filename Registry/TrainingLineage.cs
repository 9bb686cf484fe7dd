namespace MnistEvents.Registry;

/// <summary>
/// Where a version came from, written beside its manifest when it is saved: the training run (its id, who or what
/// asked, when it started, its settings) and its data (the MNIST files, verified by sha256 as they were loaded, how many
/// images it learnt from, and the corrections). With the gate's verdict, the shadowing and the activation history it
/// makes <c>GET /models/{version}/lineage</c>.
/// </summary>
public sealed record TrainingLineage(
    Guid? TrainingId,
    string RequestedBy,
    DateTimeOffset StartedAt,
    TrainingSettings Settings,
    IReadOnlyList<FileDigest> Mnist,
    int MnistImages,
    int Images,
    CorrectionsUsed Corrections);
