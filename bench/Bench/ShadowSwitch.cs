using MassTransit;
using MnistEvents.ServiceDefaults.Bus;
using MnistEvents.Registry;

namespace MnistEvents.Bench;

/// <summary>
/// Starts or stops shadowing the way <c>POST /models/{version}/shadow</c> does: the plan written on the volume, then
/// the events it implies (<c>ShadowStarted</c>, or <c>ShadowStopped</c>) published on the real broker. MODEL (with its manifest) is saved as a version first.
/// </summary>
public static class ShadowSwitch
{
    public static async Task<int> RunAsync(string host, ushort port, string servedPath, string model, double rate)
    {
        var registry = new ModelRegistry(servedPath);
        var manifest = KeptVersions.Keep(registry, model);
        var plan = new ShadowPlan(manifest.Version, manifest.Sha256, rate, null, "bench/shadow", DateTimeOffset.UtcNow);
        var change = registry.ReplaceShadow(rate > 0 ? plan : null, "bench/shadow", "bench/shadow");

        var bus = Bus.Factory.CreateUsingRabbitMq(cfg => BenchBroker.Host(cfg, host, port));
        await bus.StartAsync();
        try
        {
            await bus.PublishEachAsync(change.Events);
        }
        finally
        {
            await bus.StopAsync();
        }
        return 0;
    }
}
