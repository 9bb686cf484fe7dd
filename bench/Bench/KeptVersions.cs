using MnistEvents.Model.Store;
using MnistEvents.Registry;

namespace MnistEvents.Bench;

/// <summary>A model file (with its manifest) the benches serve or shadow, kept as a version of the store beside the served path.</summary>
public static class KeptVersions
{
    /// <summary>Adopts the served path's plain seed file first, saves <paramref name="model"/> as a version unless kept already; its manifest.</summary>
    public static ModelManifest Keep(ModelRegistry registry, string model)
    {
        ModelStore.AdoptUnversioned(registry);
        var manifest = ModelStore.ReadManifest(model) ?? throw new InvalidOperationException($"{model} has no manifest");
        if (registry.Find(manifest.Version) is null) registry.SaveVersion(manifest, File.ReadAllBytes(model));
        return manifest;
    }
}
