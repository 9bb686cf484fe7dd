using static TorchSharp.torch;

namespace MnistEvents.Model.Training;

/// <summary>A trained network (owned by the caller) and how it scored on the test set after each epoch.</summary>
public sealed record TrainingResult(nn.Module<Tensor, Tensor> Network, IReadOnlyList<EpochResult> Epochs, int TrainingExamples, TimeSpan Elapsed)
{
    public EpochResult Final => Epochs[^1];
}
