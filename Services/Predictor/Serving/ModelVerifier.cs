using MnistEvents.Model.Data;
using MnistEvents.Model.Store;

namespace MnistEvents.Predictor.Serving;

/// <summary>
/// Loads a model file and checks it before it may serve: a regular file inside its own directory (a link may point
/// only within it), no larger than allowed, the expected sha256, and a smoke inference giving ten finite probabilities
/// summing to 1.
/// </summary>
public static class ModelVerifier
{
    public static ServedModel Load(string path, long maxBytes, string? expectedSha256 = null)
    {
        CheckFile(Path.GetFullPath(path), maxBytes);
        var loaded = ModelStore.Load(path, maxBytes);
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

    private static void CheckFile(string path, long maxBytes)
    {
        var file = new FileInfo(path);
        if (!file.Exists) throw new ModelStoreException($"no model file at {path}");
        if (file.LinkTarget is not null)
        {
            var directory = file.DirectoryName!;
            if (file.ResolveLinkTarget(returnFinalTarget: true) is not FileInfo { Exists: true } target)
                throw new ModelStoreException($"{path} is a link to {file.LinkTarget}, which is not a file");
            var relative = Path.GetRelativePath(directory, target.FullName);
            if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
                throw new ModelStoreException($"{path} is a link to {target.FullName}, outside the model directory {directory}");
            file = target;
        }
        if (file.Length > maxBytes) throw new ModelStoreException($"{path} is {file.Length:N0} bytes; a model may be at most {maxBytes:N0}");
    }
}
