using MnistEvents.Model.Data;
using MnistEvents.Model.Store;

namespace MnistEvents.Predictor.Serving;

/// <summary>Loads a model file and checks it before it may serve: the expected sha256, and a smoke inference giving ten finite probabilities summing to 1.</summary>
public static class ModelVerifier
{
    public static ServedModel Load(string path, string? expectedSha256 = null)
    {
        var loaded = ModelStore.Load(path);
        if (expectedSha256 is not null && !string.Equals(loaded.Manifest.Sha256, expectedSha256, StringComparison.OrdinalIgnoreCase))
        {
            loaded.Dispose();
            throw new ModelStoreException($"{path} has sha256 {loaded.Manifest.Sha256}, not the announced {expectedSha256}");
        }

        var served = new ServedModel(loaded);
        var probabilities = served.Classifier.Probabilities(new byte[2 * MnistDataset.Pixels], 2);
        if (probabilities.All(p => p.Length == 10 && p.All(float.IsFinite) && Math.Abs(p.Sum() - 1) < 1e-3)) return served;

        served.Release();
        throw new ModelStoreException($"{path} failed its smoke inference: its outputs are not ten probabilities");
    }
}
