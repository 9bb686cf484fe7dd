using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using MnistEvents.Gateway;

namespace MnistEvents.ServiceTests.Support;

/// <summary>The gateway alone on the in-memory bus: no predictor will ever answer, and no admin token is configured.</summary>
public class GatewayOnlyFactory : WebApplicationFactory<GatewayOptions>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Gateway:PredictionTimeoutSeconds", "1");
        builder.UseSetting("ModelVolume:ModelPath", Path.Combine(TestSupport.TestData.TempDirectory(), "mnist.pt"));
    }
}
