using Microsoft.AspNetCore.Hosting;

namespace MnistEvents.ServiceTests.Support;

/// <summary>
/// The embedded default with a gate any candidate passes and every batch shadowed: the tests using it pin down the wait
/// for shadowing, not the scores.
/// </summary>
public sealed class ShadowPromotionFactory : AllInOneFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Trainer:PromotionTolerancePoints", "100");
        builder.UseSetting("Controller:ShadowSampleRate", "1");
    }
}
