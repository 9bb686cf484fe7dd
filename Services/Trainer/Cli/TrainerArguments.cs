using MnistEvents.Model.Training;

namespace MnistEvents.Trainer.Cli;

/// <summary>A parsed Trainer command line.</summary>
public sealed record TrainerArguments(TrainingOptions Training, string DataDirectory, bool SaveModel, string SaveModelPath, bool Help = false);
