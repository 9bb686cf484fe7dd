using MnistEvents.Model.Data;

namespace MnistEvents.TestSupport;

/// <summary>The real MNIST files fetched by scripts/fetch-mnist.sh (./test.sh runs it first), loaded once per test run.</summary>
public static class TestData
{
    private static readonly Lazy<MnistDataset> LazyTest = new(() => MnistDataset.LoadTest(MnistDirectory.Default()));
    private static readonly Lazy<MnistDataset> LazyTrain = new(() => MnistDataset.LoadTrain(MnistDirectory.Default()));

    public static MnistDataset Test => LazyTest.Value;

    public static MnistDataset Train => LazyTrain.Value;

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    public static string TempDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "mnistevents-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
