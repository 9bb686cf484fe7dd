using MnistEvents.Registry;

namespace MnistEvents.UnitTests.Registry;

/// <summary>Every file on the model volume is placed by the one path: what the gateway writes, the trainer finds.</summary>
public class ModelVolumeTests
{
    [Fact]
    public void EveryPathOnTheVolumeLiesInTheModelsDirectory()
    {
        var volume = new ModelVolume("/models/mnist.pt");

        Assert.Equal(("/models", "mnist.pt"), (volume.Root, volume.ModelFileName));
        Assert.Equal(
            ["/models/mnist.pt.json", "/models/versions", "/models/active", "/models/activations.jsonl", "/models/shadow.json", "/models/.registry.lock",
             "/models/feedback/corrections.jsonl", "/models/async-results", "/models/training-jobs", "/models/validation"],
            [volume.ModelManifestPath, volume.VersionsDirectory, volume.ActiveLink, volume.HistoryPath, volume.ShadowPlanPath, volume.LockPath,
             volume.CorrectionsPath, volume.AsyncResultsDirectory, volume.TrainingJobsDirectory, volume.ValidationDirectory]);
        Assert.Equal("active/mnist.pt", volume.ActiveModelTarget);
    }
}
