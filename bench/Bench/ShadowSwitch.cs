using MassTransit;
using MnistEvents.Registry;

namespace MnistEvents.Bench;

/// <summary>
/// Starts or stops shadowing the way <c>POST /models/{version}/shadow</c> does: the plan written on the volume, then
/// <c>ShadowStarted</c> published on the real broker. MODEL (with its manifest) is saved as a version first.
/// </summary>
public static class ShadowSwitch
{
    public static async Task<int> RunAsync(string host, ushort port, string servedPath, string model, double rate)
    {
        var registry = new ModelRegistry(servedPath);
        var manifest = KeptVersions.Keep(registry, model);
        var plan = new ShadowPlan(manifest.Version, manifest.Sha256, rate, null, "bench/shadow", DateTimeOffset.UtcNow);
        registry.ReplaceShadow(rate > 0 ? plan : null, "bench/shadow");

        var bus = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(host, port, "/", h => { h.Username("guest"); h.Password("guest"); }));
        await bus.StartAsync();
        try
        {
            await bus.Publish(rate > 0 ? RegistryEvents.Started(plan) : RegistryEvents.Stopped(manifest.Version, "bench/shadow", DateTimeOffset.UtcNow));
        }
        finally
        {
            await bus.StopAsync();
        }
        return 0;
    }
}
