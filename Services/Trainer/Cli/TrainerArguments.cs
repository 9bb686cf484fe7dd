using MnistEvents.Model.Evaluation;
using MnistEvents.Model.Training;

namespace MnistEvents.Trainer.Cli;

/// <summary>
/// A parsed Trainer command line; <paramref name="TrainingId"/> is what its bus events carry (a launched Job's request
/// id), <paramref name="RequestedBy"/> who asked for it (the request's), for the version's lineage.
/// </summary>
public sealed record TrainerArguments(TrainingOptions Training, string DataDirectory, bool SaveModel, string SaveModelPath, bool Help = false,
    Guid? TrainingId = null, PromotionOptions? Promotion = null, string? RequestedBy = null);
