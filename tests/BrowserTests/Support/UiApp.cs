using MnistEvents.Registry;
using MnistEvents.TestSupport;

namespace MnistEvents.BrowserTests.Support;

/// <summary>
/// The all-in-one host as ./run.sh starts it, a real process on a loopback port, serving the seed's real model from a
/// temp directory; optionally Services/Web in front of it, as the real topology puts it before a gateway.
/// </summary>
public abstract class UiApp(bool withWeb, IReadOnlyDictionary<string, string>? settings = null) : IAsyncLifetime
{
    public const string AdminToken = "browser-suite-token";

    public string WorkDirectory { get; } = TestData.TempDirectory();

    /// <summary>Where the all-in-one keeps corrections: derived from the one volume setting, never set apart.</summary>
    public string FeedbackPath => new ModelVolume(Path.Combine(WorkDirectory, "mnist.pt")).CorrectionsPath;

    public ServiceProcess AllInOne { get; private set; } = null!;

    public ServiceProcess? Web { get; private set; }

    public async Task InitializeAsync()
    {
        var model = Prepare(WorkDirectory);
        var environment = new Dictionary<string, string>
        {
            ["ModelVolume__ModelPath"] = model,
            ["Trainer__ValidationUploads"] = "200",
            ["Controller__ShadowSampleRate"] = "1", // a candidate waiting on shadowing is compared on every batch
            ["Trainer__DataDirectory"] = Path.Combine(Repository.Root, "data", "mnist"),
            ["Gateway__AdminToken"] = AdminToken,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) environment[key] = value;
        AllInOne = Start("all-in-one", "AllInOne", environment);
        await AllInOne.WaitReadyAsync();
        if (!withWeb) return;
        Web = Start("web", "Web", new() { ["Web__GatewayUrl"] = AllInOne.Url!.ToString() });
        await Web.WaitReadyAsync();
    }

    /// <summary>The model volume the app starts on, in <paramref name="directory"/>: by default the seed's plain file, as the blog series' Job left it.</summary>
    /// <returns>The model path.</returns>
    protected virtual string Prepare(string directory)
    {
        var model = Path.Combine(directory, "mnist.pt");
        File.Copy(TestData.Fixture("seed_mlp.pt"), model);
        return model;
    }

    public Task DisposeAsync()
    {
        Web?.Dispose();
        AllInOne?.Dispose();
        return Task.CompletedTask;
    }

    private ServiceProcess Start(string name, string project, Dictionary<string, string> environment)
    {
        environment["POD_NAME"] = name;
        var process = ServiceProcess.OnFreePort(name, project, [], environment, WorkDirectory);
        process.Start();
        return process;
    }
}
