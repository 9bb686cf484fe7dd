using MnistEvents.Contracts;
using MnistEvents.Imaging.Profiles;
using MnistEvents.Model.Data;
using MnistEvents.Model.Inference;
using static TorchSharp.torch;

namespace MnistEvents.Model.Evaluation;

/// <summary>
/// What a version's live traffic is compared with to see it drift (kept in its manifest): the image features of the
/// data it learnt from and was validated on, and its own answers on the validation data (MNIST's test digits and the
/// real-uploads set), as a replica would give them. Answers on the training data would say how well it memorised.
/// </summary>
public static class DataProfile
{
    private const int Batch = 1000;

    public static InputProfile Of(nn.Module<Tensor, Tensor> network, IReadOnlyList<MnistDataset> trainedOn, IReadOnlyList<MnistDataset> validation)
    {
        network.eval();
        var profiler = new InputProfiler();
        foreach (var set in trainedOn) profiler.AddImages(set.Images, set.Count);
        foreach (var set in validation)
        {
            for (var start = 0; start < set.Count; start += Batch)
            {
                var count = Math.Min(Batch, set.Count - start);
                var probabilities = DigitClassifier.Probabilities(network, set.Images.AsSpan(start * MnistDataset.Pixels, count * MnistDataset.Pixels), count);
                for (var i = 0; i < count; i++)
                {
                    var digit = DigitClassifier.ArgMax(probabilities[i]);
                    profiler.Add(set.Image(start + i), digit, probabilities[i][digit]);
                }
            }
        }
        return profiler.ToProfile();
    }
}
