using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using MnistEvents.AllInOne;
using MnistEvents.Registry;
using MnistEvents.TestSupport;

namespace MnistEvents.ServiceTests.Support;

/// <summary>The embedded default (gateway, predictor, trainer worker, controller on the in-memory bus), serving the seed's real model from a temp directory.</summary>
public class AllInOneFactory : WebApplicationFactory<ConsoleGuide>
{
    public const string AdminToken = "test-admin-token";

    public AllInOneFactory()
        : this(Models.SeedCopy(TestData.TempDirectory()))
    {
    }

    /// <param name="modelPath">A volume another instance used or uses too: a restarted one, or a second one beside it.</param>
    protected AllInOneFactory(string modelPath) => ModelPath = modelPath;

    public string ModelPath { get; }

    /// <summary>Where the services keep everything else: derived from <see cref="ModelPath"/>, the one setting, never set apart.</summary>
    public ModelVolume Volume => new(ModelPath);

    public string FeedbackPath => Volume.CorrectionsPath;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ModelVolume:ModelPath", ModelPath);
        builder.UseSetting("Predictor:PollSeconds", "1");
        builder.UseSetting("Trainer:ValidationUploads", "200"); // the gate's set, small: these tests train often
        builder.UseSetting("Gateway:AdminToken", AdminToken);
        builder.UseSetting("Gateway:MaxUploadBytes", "200000");
        // Every test here is one client sending as fast as it can, as many clients would; the limits and shares themselves
        // are tested in OverloadTests, FairDecodeQueueTests and ClientSharesTests.
        builder.UseSetting("Gateway:PredictionRequestsPerSecondPerClient", "0");
        builder.UseSetting("Gateway:MaxConcurrentDecodesPerClient", "2");
        builder.UseSetting("Gateway:AdminRequestsPerMinutePerClient", "0");
    }
}
