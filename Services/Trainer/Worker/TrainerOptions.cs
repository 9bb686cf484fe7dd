using System.ComponentModel.DataAnnotations;
using MnistEvents.Model.Data;
using MnistEvents.Model.Evaluation;
using MnistEvents.ServiceDefaults.Retraining;

namespace MnistEvents.Trainer.Worker;

/// <summary>The <c>Trainer</c> configuration section (worker mode); where models are written is the model volume (<c>ModelVolume:ModelPath</c>).</summary>
public sealed class TrainerOptions
{
    public const string Section = "Trainer";

    public string DataDirectory { get; set; } = MnistDirectory.Default();

    /// <summary>Epochs when a request names none: the seed's Job ran one.</summary>
    [Range(1, RetrainRules.MaximumEpochs)]
    public int DefaultEpochs { get; set; } = 1;

    /// <summary>How many points worse than the active model a new one may be and still be promoted.</summary>
    [Range(0, 100)]
    public double PromotionTolerancePoints { get; set; } = new PromotionOptions().TolerancePoints;

    /// <summary>Size of the real-uploads validation set the gate scores both models on.</summary>
    [Range(10, 10_000)]
    public int ValidationUploads { get; set; } = new PromotionOptions().ValidationUploads;

    /// <summary>Model versions kept on the volume besides the active one and the one before it.</summary>
    [Range(1, 1000)]
    public int KeepVersions { get; set; } = new PromotionOptions().KeepVersions;

    public PromotionOptions Promotion(bool regardless, long? shadowPredictions) => new()
    {
        TolerancePoints = PromotionTolerancePoints, ValidationUploads = ValidationUploads, KeepVersions = KeepVersions, PromoteRegardless = regardless,
        ShadowPredictions = shadowPredictions ?? 0,
    };
}
