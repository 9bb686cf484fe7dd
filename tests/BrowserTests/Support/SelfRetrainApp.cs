using MnistEvents.TestSupport;

namespace MnistEvents.BrowserTests.Support;

/// <summary>
/// An all-in-one of its own with the retrain policy on, its drift rule alone and quick to fire (above 0.25 for 3 s; a
/// score from 150 live digits): the seed adopted with its data profile (<see cref="ProfiledSeed"/>), and each retrain the
/// policy asks for one epoch on 500 images.
/// </summary>
public sealed class SelfRetrainApp() : UiApp(withWeb: false, new Dictionary<string, string>
{
    ["RetrainPolicy__Enabled"] = "true",
    ["RetrainPolicy__CheckSeconds"] = "1",
    ["RetrainPolicy__TrustedCorrections"] = "0",
    ["RetrainPolicy__DriftMinutes"] = "0.05",
    ["RetrainPolicy__IntervalMinutes"] = "0",
    ["RetrainPolicy__Epochs"] = "1",
    ["RetrainPolicy__Limit"] = "500",
    ["Drift__MinDigits"] = "150",
    ["Drift__SampleSeconds"] = "1",
})
{
    public string SeedVersion { get; private set; } = "";

    protected override string Prepare(string directory)
    {
        var (path, version) = ProfiledSeed.In(directory);
        SeedVersion = version;
        return path;
    }
}
