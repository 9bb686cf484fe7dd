using MassTransit;
using MassTransit.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MnistEvents.Controller.Retraining;
using MnistEvents.Controller.Sagas;

namespace MnistEvents.ServiceTests.Support;

/// <summary>
/// The embedded default (gateway, a predictor serving the seed's model, the trainer worker) with its bus replaced by
/// MassTransit's test harness, its consumers kept, on the model volume the test names and with its settings: HTTP tests
/// also see what was sent and published, and every line logged.
/// </summary>
public sealed class HarnessedAllInOne(string modelPath, IReadOnlyDictionary<string, string> settings) : AllInOneFactory(modelPath)
{
    public CapturedLogs Logs { get; } = new();

    public ITestHarness Harness => Services.GetTestHarness();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
        builder.ConfigureServices(services =>
        {
            services.AddMassTransitTestHarness();
            // The harness puts every saga repository in memory: the controller's state stays in files, as a restart needs.
            services.AddFileSagaRepository<RetrainState>();
            // What was sent is read as it stands, never waited for through the harness: its clock must not end a long test.
            services.Configure<TestHarnessOptions>(o => o.TestTimeout = TimeSpan.FromMinutes(10));
            services.AddSingleton<ILoggerProvider>(Logs);
        });
    }
}
