using MnistEvents.Model.Evaluation;
using MnistEvents.Model.Store;
using MnistEvents.Model.Training;
using MnistEvents.Registry;

namespace MnistEvents.TestSupport;

/// <summary>
/// A model volume holding the seed's MLP adopted as its first version, with the scores and data profile the promotion
/// gate records the first time it judges a candidate against it, here from small real subsets for speed (5,000 MNIST
/// training images, 1,000 test digits, 200 rendered uploads): what the live traffic's drift is measured against.
/// </summary>
public static class ProfiledSeed
{
    /// <returns>The model path, and the seed's version name.</returns>
    public static (string ModelPath, string Version) In(string directory)
    {
        var path = Path.Combine(directory, "mnist.pt");
        File.Copy(TestData.Fixture("seed_mlp.pt"), path, overwrite: true);
        var registry = new ModelRegistry(path);
        ModelStore.AdoptUnversioned(registry);
        var version = registry.ActiveVersion!;
        using var seed = ModelStore.Load(registry.VersionModelPath(version));
        var test = TestData.Test.Take(1_000);
        var uploads = ValidationUploads.Build(TestData.Test, 200);
        registry.RecordScores(version, MnistTrainer.Evaluate(seed.Network, test, 1_000).Accuracy, MnistTrainer.Evaluate(seed.Network, uploads, 1_000).Accuracy,
            DataProfile.Of(seed.Network, [TestData.Train.Take(5_000)], [test, uploads]));
        return (path, version);
    }
}
