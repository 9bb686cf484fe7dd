using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Options;
using MnistEvents.ServiceTests.Support;

namespace MnistEvents.ServiceTests.Gateway;

/// <summary>
/// One setting names the model volume; a retired per-service path would split a file's writer from its reader, and a
/// renamed setting would be ignored: either stops the start, naming the setting to use.
/// </summary>
public class RetiredSettingsTests
{
    [Theory]
    [InlineData("Gateway:FeedbackPath")]
    [InlineData("Gateway:AsyncResultsPath")]
    [InlineData("Predictor:ModelPath")]
    [InlineData("Trainer:ModelPath")]
    public void ARetiredPathSettingStopsTheStartNamingTheOneSettingToUse(string key)
    {
        using var factory = new AllInOneFactory().WithWebHostBuilder(b => b.UseSetting(key, "/tmp/elsewhere/x"));

        var refused = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains($"{key} is no longer read: every path on the model volume derives from ModelVolume:ModelPath", refused.Message);
    }

    [Theory]
    [InlineData("Gateway:RetrainToken", "secret", "Gateway:RetrainToken is now Gateway:AdminToken (it guards activation and shadowing too)")]
    [InlineData("Gateway:MaxQueuedDecodes", "64", "Gateway:MaxQueuedDecodes is now Gateway:MaxQueuedDecodeMegabytes (waiting uploads are measured by their size)")]
    public void AGatewaySettingUnderItsOldNameStopsTheStartNamingItsNewOne(string old, string value, string says)
    {
        using var factory = new AllInOneFactory().WithWebHostBuilder(b => b.UseSetting(old, value));

        var refused = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains(says, refused.Message);
    }
}
