using MnistEvents.Model.Data;

namespace MnistEvents.Trainer.Worker;

/// <summary>The <c>Trainer</c> configuration section (worker mode).</summary>
public sealed class TrainerOptions
{
    public const string Section = "Trainer";

    public string DataDirectory { get; set; } = MnistDirectory.Default();

    /// <summary>Where trained models are written: the shared volume the predictors read.</summary>
    public string ModelPath { get; set; } = "models/mnist.pt";

    /// <summary>Where the worker writes down the retrain requests it has taken on, until their training ends; unset: <c>training-jobs</c> beside the model.</summary>
    public string? JobsPath { get; set; }

    public string JobsDirectory => Path.GetFullPath(JobsPath ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(ModelPath))!, "training-jobs"));

    /// <summary>Epochs when a request names none: the seed's Job ran one.</summary>
    public int DefaultEpochs { get; set; } = 1;

    public int MaxEpochs { get; set; } = 30;
}
