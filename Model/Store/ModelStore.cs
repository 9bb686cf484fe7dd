using System.Collections;
using System.Security.Cryptography;
using MnistEvents.Contracts;
using MnistEvents.Model.Networks;
using MnistEvents.Registry;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace MnistEvents.Model.Store;

/// <summary>
/// Reads and writes models as PyTorch state_dict files (Python's <c>torch.load</c> reads them, and the
/// seed's own file loads here) with a JSON manifest beside each. Writes are atomic: readers see the
/// old file or the new one, never a partial one.
/// </summary>
public static class ModelStore
{
    /// <summary>Largest model file read unless a caller says otherwise: the CNN is about 2 MB.</summary>
    public const long DefaultMaxBytes = 64L * 1024 * 1024;

    public static string ManifestPath(string modelPath) => ModelVolume.ManifestPath(modelPath);

    /// <summary>Writes the network and its manifest as a plain file; returns the manifest with the file's version and sha256 filled in.</summary>
    public static ModelManifest Save(nn.Module<Tensor, Tensor> network, string path, Architecture architecture,
        double? testAccuracy, int epochs, int? trainingExamples = null, DateTimeOffset? trainedAt = null)
    {
        var (bytes, manifest) = Serialize(network, architecture, testAccuracy, epochs, trainingExamples, trainedAt);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        // The model first, then its manifest: a reader that meets a manifest whose sha256 does not match
        // the model has caught the short gap between the renames and reads again (see Load).
        RegistryFiles.WriteAtomically(full, bytes);
        RegistryFiles.WriteJson(ManifestPath(full), manifest);
        return manifest;
    }

    /// <summary>The network as PyTorch state_dict bytes, and the manifest naming them (version from the time and sha256).</summary>
    public static (byte[] Bytes, ModelManifest Manifest) Serialize(nn.Module<Tensor, Tensor> network, Architecture architecture,
        double? testAccuracy, int epochs, int? trainingExamples = null, DateTimeOffset? trainedAt = null,
        double? uploadsAccuracy = null, int? corrections = null)
    {
        using var buffer = new MemoryStream();
        network.save_py(buffer, leaveOpen: true);
        var bytes = buffer.ToArray();
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var at = trainedAt ?? DateTimeOffset.UtcNow;
        return (bytes, new ModelManifest($"{at:yyyyMMdd-HHmmss}-{sha[..8]}", sha, NetworkFactory.Name(architecture),
            testAccuracy, epochs, at, trainingExamples, UploadsAccuracy: uploadsAccuracy, Corrections: corrections));
    }

    /// <summary>Makes a seed-style plain model file at the registry's path its first version (reading it for its manifest), if it holds one.</summary>
    public static void AdoptUnversioned(ModelRegistry registry)
    {
        if (!registry.HoldsUnversionedModel) return;
        using var seed = Load(registry.ModelPath);
        registry.Adopt(seed.Manifest);
    }

    /// <summary>Saves the network as a new version in <paramref name="registry"/> (not activated); returns its manifest and its <c>ModelSaved</c>.</summary>
    public static (ModelManifest Manifest, RegistryChange Change) SaveVersion(ModelRegistry registry, nn.Module<Tensor, Tensor> network,
        Architecture architecture, double? testAccuracy, int epochs, int? trainingExamples = null, double? uploadsAccuracy = null,
        int? corrections = null, Guid? trainingId = null, TrainingLineage? lineage = null, InputProfile? profile = null)
    {
        var (bytes, manifest) = Serialize(network, architecture, testAccuracy, epochs, trainingExamples, uploadsAccuracy: uploadsAccuracy,
            corrections: corrections);
        manifest = manifest with { Profile = profile };
        return (manifest, registry.SaveVersion(manifest, bytes, trainingId, lineage));
    }

    /// <summary>Reads a model file of at most <paramref name="maxBytes"/>; the architecture comes from the manifest, else from the state_dict's keys.</summary>
    public static LoadedModel Load(string path, long maxBytes = DefaultMaxBytes)
    {
        // A manifest that disagrees with the model bytes just read is, while a writer is between its two
        // renames, the previous one: read both again. A lasting disagreement is a real fault.
        for (var attempt = 1; ; attempt++)
        {
            var (bytes, sha, manifest) = ReadConsistent(path, maxBytes);
            if (manifest is null || manifest.Sha256 == sha) return Materialise(path, bytes, sha, manifest);
            if (attempt == 5)
                throw new ModelStoreException($"{path} has sha256 {sha} but its manifest says {manifest.Sha256}");
            Thread.Sleep(20 * attempt);
        }
    }

    public static ModelManifest? ReadManifest(string modelPath)
    {
        try
        {
            return RegistryFiles.Read<ModelManifest>(ManifestPath(modelPath));
        }
        catch (RegistryException e)
        {
            throw new ModelStoreException(e.Message, e);
        }
    }

    public static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    private static (byte[] Bytes, string Sha, ModelManifest? Manifest) ReadConsistent(string path, long maxBytes)
    {
        if (!File.Exists(path)) throw new ModelStoreException($"no model file at {Path.GetFullPath(path)}");
        var bytes = ReadBounded(path, maxBytes);
        return (bytes, Convert.ToHexStringLower(SHA256.HashData(bytes)), ReadManifest(path));
    }

    // Read by chunks against the limit, not by the size the file system reports: a device reports none and never ends.
    private static byte[] ReadBounded(string path, long maxBytes)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk)) > 0)
        {
            if (buffer.Length + read > maxBytes) throw new ModelStoreException($"{path} is larger than the {maxBytes:N0} bytes a model may be");
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static LoadedModel Materialise(string path, byte[] bytes, string sha, ModelManifest? manifest)
    {
        Hashtable state;
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            state = PyTorchUnpickler.UnpickleStateDict(stream, leaveOpen: true);
        }
        catch (Exception e) when (e is not ModelStoreException)
        {
            throw new ModelStoreException($"{path} is not a PyTorch state_dict file: {e.Message}", e);
        }

        Architecture architecture;
        if (manifest is not null)
        {
            if (!NetworkFactory.TryParse(manifest.Architecture, out architecture))
                throw new ModelStoreException($"{path}: manifest names unknown architecture '{manifest.Architecture}'");
        }
        else
        {
            architecture = state.ContainsKey("conv1.weight") ? Architecture.Cnn : Architecture.Mlp;
        }

        var network = NetworkFactory.Create(architecture);
        try
        {
            var dict = new Dictionary<string, Tensor>();
            foreach (DictionaryEntry entry in state) dict[(string)entry.Key] = (Tensor)entry.Value!;
            network.load_state_dict(dict, strict: true);
            foreach (var tensor in dict.Values) tensor.Dispose();
        }
        catch (Exception e)
        {
            network.Dispose();
            throw new ModelStoreException($"{path} does not hold a {NetworkFactory.Name(architecture)} network: {e.Message}", e);
        }
        network.eval();

        manifest ??= new ModelManifest($"unversioned-{sha[..8]}", sha, NetworkFactory.Name(architecture), null, 0,
            new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero));
        return new LoadedModel(network, manifest);
    }
}
