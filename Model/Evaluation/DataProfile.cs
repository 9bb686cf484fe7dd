using MnistEvents.Contracts;
using MnistEvents.Imaging.Profiles;
using MnistEvents.Model.Data;
using MnistEvents.Model.Inference;
using static TorchSharp.torch;

namespace MnistEvents.Model.Evaluation;

/// <summary>
/// What a version's live traffic is compared with to see it drift (kept in its manifest): the image features of the
/// data it learnt from and was validated on, and its own answers on the validation data (MNIST's test digits and the
/// real-uploads set, the first <see cref="AnswersPerSet"/> of each), as a replica would give them. Answers on the training data would say how well it memorised.
/// </summary>
public static class DataProfile
{
    private const int Batch = 1000;

    /// <summary>
    /// Answers taken from each validation set, its first ones: ten bins of digits and seven of confidence are known well
    /// from a few thousand, and a forward pass over all 10,000 test digits again (the gate has just scored them) would
    /// add seconds to every training on these machines.
    /// </summary>
    public const int AnswersPerSet = 2_000;

    public static InputProfile Of(nn.Module<Tensor, Tensor> network, IReadOnlyList<MnistDataset> trainedOn, IReadOnlyList<MnistDataset> validation)
    {
        network.eval();
        var profiler = new InputProfiler();
        foreach (var set in trainedOn) profiler.AddImages(set.Images, set.Count);
        foreach (var set in validation)
        {
            var answered = Math.Min(set.Count, AnswersPerSet);
            profiler.AddImages(set.Images.AsSpan(answered * MnistDataset.Pixels), set.Count - answered);
            for (var start = 0; start < answered; start += Batch)
            {
                var count = Math.Min(Batch, answered - start);
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
