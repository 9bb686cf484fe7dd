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

    [Fact]
    public void TheRetrainTokenUnderItsOldNameStopsTheStartNamingItsNewOne()
    {
        using var factory = new AllInOneFactory().WithWebHostBuilder(b => b.UseSetting("Gateway:RetrainToken", "secret"));

        var refused = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains("Gateway:RetrainToken is now Gateway:AdminToken (it guards activation and shadowing too)", refused.Message);
    }
}
