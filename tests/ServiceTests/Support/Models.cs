using MnistEvents.Model.Networks;
using MnistEvents.Model.Store;
using MnistEvents.Registry;
using MnistEvents.TestSupport;

namespace MnistEvents.ServiceTests.Support;

/// <summary>Model files for the tests: the seed's real MLP, and freshly initialised networks saved with a manifest.</summary>
public static class Models
{
    public static string SeedCopy(string directory)
    {
        var path = Path.Combine(directory, "mnist.pt");
        File.Copy(TestData.Fixture("seed_mlp.pt"), path, overwrite: true);
        return path;
    }

    /// <summary>A freshly initialised MLP saved as a new, inactive version in the store.</summary>
    public static ModelManifest SaveUntrainedVersion(ModelRegistry registry)
    {
        using var network = NetworkFactory.Create(Architecture.Mlp);
        return ModelStore.SaveVersion(registry, network, Architecture.Mlp, testAccuracy: null, epochs: 0).Manifest;
    }

    public static ModelManifest SaveUntrained(string path, Architecture architecture = Architecture.Mlp)
    {
        using var network = NetworkFactory.Create(architecture);
        return ModelStore.Save(network, path, architecture, testAccuracy: null, epochs: 0);
    }
}
