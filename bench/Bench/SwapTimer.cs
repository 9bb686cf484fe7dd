using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;
using MnistEvents.ServiceDefaults.Bus;
using MnistEvents.Contracts;
using MnistEvents.Registry;

namespace MnistEvents.Bench;

/// <summary>
/// Times hot swaps the way a promotion or a rollback causes them: the given models are saved as versions in the model
/// volume's store, and for each swap the store's pointer is moved to the next one and <c>ModelActivated</c> published on
/// the real broker; the clock runs until every replica has published <c>ModelLoaded</c> for that version.
/// Prints one line per swap: version, ms until each replica served it.
/// </summary>
public static class SwapTimer
{
    public static async Task<int> RunAsync(string host, ushort port, string servedPath, int replicas, int swaps, string[] models)
    {
        var loaded = new ConcurrentQueue<(ModelLoaded Message, TimeSpan At)>();
        var clock = Stopwatch.StartNew();
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            BenchBroker.Host(cfg, host, port);
            cfg.ReceiveEndpoint(e => e.Handler<ModelLoaded>(context =>
            {
                loaded.Enqueue((context.Message, clock.Elapsed));
                return Task.CompletedTask;
            }));
        });
        await bus.StartAsync();
        var registry = new ModelRegistry(servedPath);
        var kept = models.Select(model => KeptVersions.Keep(registry, model)).ToArray();
        try
        {
            for (var swap = 0; swap < swaps; swap++)
            {
                var manifest = kept[swap % kept.Length];
                var started = clock.Elapsed;
                await bus.PublishEachAsync(registry.Activate(manifest.Version, "bench/swap").Events);
                var deadline = started + TimeSpan.FromSeconds(30);
                Dictionary<string, TimeSpan> served;
                while (true)
                {
                    served = loaded.Where(l => l.Message.Version == manifest.Version && l.At >= started)
                        .GroupBy(l => l.Message.Replica).ToDictionary(g => g.Key, g => g.Min(l => l.At) - started);
                    if (served.Count >= replicas || clock.Elapsed > deadline) break;
                    await Task.Delay(5);
                }
                Console.WriteLine($"{manifest.Version} {(served.Count >= replicas ? served.Values.Max().TotalMilliseconds : double.NaN):0} "
                                  + string.Join(" ", served.Values.Order().Select(t => $"{t.TotalMilliseconds:0}")));
                // Let the load run on the new model before the next swap.
                await Task.Delay(TimeSpan.FromSeconds(2));
            }
            return 0;
        }
        finally
        {
            await bus.StopAsync();
        }
    }
}
