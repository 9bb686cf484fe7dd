using MassTransit;
using MassTransit.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MnistEvents.Gateway;

namespace MnistEvents.ServiceTests.Support;

/// <summary>
/// The gateway alone, its bus replaced by MassTransit's test harness (its consumers kept), on the model volume the test
/// names, so a restarted instance, or a second one beside it, shares that volume as gateways in a cluster do. HTTP tests
/// also see what it sent and published, and every line it logged.
/// </summary>
public sealed class HarnessedGateway(string modelPath, IReadOnlyDictionary<string, string> settings) : WebApplicationFactory<GatewayOptions>
{
    public CapturedLogs Logs { get; } = new();

    public ITestHarness Harness => Services.GetTestHarness();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ModelVolume:ModelPath", modelPath);
        builder.UseSetting("Gateway:PredictionTimeoutSeconds", "2");
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
        builder.ConfigureServices(services =>
        {
            services.AddMassTransitTestHarness();
            // What was sent is read as it stands, never waited for through the harness: its clock must not end a long test.
            services.Configure<TestHarnessOptions>(o => o.TestTimeout = TimeSpan.FromMinutes(10));
            services.AddSingleton<ILoggerProvider>(Logs);
        });
    }
}
