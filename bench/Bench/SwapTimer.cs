using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;
using MnistEvents.Contracts;
using MnistEvents.Model.Store;

namespace MnistEvents.Bench;

/// <summary>
/// Times hot swaps the way a training Job causes them: the next model's file and manifest are put in place on the model
/// volume (atomic renames, as the trainer's save does), <c>ModelSaved</c> is published on the real broker, and the clock
/// runs until every replica has published <c>ModelLoaded</c> for that version. Alternates between the given models.
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
            cfg.Host(host, port, "/", h => { h.Username("guest"); h.Password("guest"); });
            cfg.ReceiveEndpoint(e => e.Handler<ModelLoaded>(context =>
            {
                loaded.Enqueue((context.Message, clock.Elapsed));
                return Task.CompletedTask;
            }));
        });
        await bus.StartAsync();
        try
        {
            for (var swap = 0; swap < swaps; swap++)
            {
                var source = models[swap % models.Length];
                var manifest = ModelStore.ReadManifest(source) ?? throw new InvalidOperationException($"{source} has no manifest");
                var started = clock.Elapsed;
                Replace(source, servedPath);
                await bus.Publish(new ModelSaved(manifest.Version, manifest.Sha256, manifest.Architecture, manifest.TestAccuracy,
                    manifest.Epochs, manifest.TrainedAt, null));
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

    private static void Replace(string source, string target)
    {
        foreach (var (from, to) in new[] { (source, target), (ModelStore.ManifestPath(source), ModelStore.ManifestPath(target)) })
        {
            var temp = $"{to}.{Guid.NewGuid():N}.tmp";
            File.Copy(from, temp);
            File.Move(temp, to, overwrite: true);
        }
    }
}
