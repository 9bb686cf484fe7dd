using MnistEvents.Model.Networks;

namespace MnistEvents.Model.Training;

/// <summary>Hyper-parameters, with the pytorch/examples MNIST defaults the seed's Job used (but for the CNN's learning rate).</summary>
public sealed record TrainingOptions
{
    public int BatchSize { get; init; } = 64;
    public int TestBatchSize { get; init; } = 1000;
    public int Epochs { get; init; } = 14;
    /// <summary>Adadelta's learning rate; null = the architecture's own (<see cref="NetworkFactory.DefaultLearningRate"/>).</summary>
    public double? LearningRate { get; init; }

    public double EffectiveLearningRate => LearningRate ?? NetworkFactory.DefaultLearningRate(Architecture);
    public double Gamma { get; init; } = 0.7;
    public bool DryRun { get; init; }
    public long Seed { get; init; } = 1;
    public int LogInterval { get; init; } = 10;
    public Architecture Architecture { get; init; } = Architecture.Cnn;

    /// <summary>Train on the first N training images only (tests and quick runs); null = all 60,000.</summary>
    public int? Limit { get; init; }

    /// <summary>Evaluate on the first N test images only; null = all 10,000.</summary>
    public int? TestLimit { get; init; }

    /// <summary>Mild random rotation, scale and shift, so the network copes with real uploads.</summary>
    public bool Augment { get; init; } = true;

    /// <summary>Decay of the weight average that is evaluated and saved (<see cref="WeightAverage"/>); 0 = the last step's weights.</summary>
    public double AverageDecay { get; init; } = 0.998;

    /// <summary>Stop after the first epoch whose test accuracy reaches this (0..1); null = run every epoch.</summary>
    public double? TargetAccuracy { get; init; }

    /// <summary>Intra-op threads for TorchSharp on the training thread; null = one per core the process may use.</summary>
    public int? Threads { get; init; }
}
