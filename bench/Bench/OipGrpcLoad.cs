using System.Diagnostics;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Inference;

namespace MnistEvents.Bench;

/// <summary>
/// A closed-loop load on the Open Inference Protocol's gRPC service, as a generated client sends it: CLIENTS callers,
/// each with one <c>ModelInfer</c> of DIGITS real MNIST digits (raw UINT8, [N,28,28]) in flight at a time, over one
/// HTTP/2 channel. Prints requests/s, images/s, p50 ms, p99 ms, failed, requests completed, and this client's own CPU ms.
/// </summary>
public static class OipGrpcLoad
{
    public static async Task<int> RunAsync(string address, string pixelsPath, int digits, int clients, double warmupSeconds, double seconds)
    {
        var pixels = (await File.ReadAllBytesAsync(pixelsPath))[..(digits * 784)];
        using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
        });
        var client = new GRPCInferenceService.GRPCInferenceServiceClient(channel);
        var request = new ModelInferRequest
        {
            ModelName = "mnist", RawInputContents = { ByteString.CopyFrom(pixels) },
            Inputs = { new ModelInferRequest.Types.InferInputTensor { Name = "pixels", Datatype = "UINT8", Shape = { digits, 28, 28 } } },
        };

        await LoopAsync(client, request, clients, warmupSeconds, null);
        var latencies = new List<double>();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var (ok, failed) = await LoopAsync(client, request, clients, seconds, latencies);
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;

        var sorted = latencies.Order().ToArray();
        double At(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
        Console.WriteLine($"{ok / seconds:0} {ok * digits / seconds:0} {At(0.5):0.0} {At(0.99):0.0} {failed} {ok} {cpu.TotalMilliseconds:0}");
        return 0;
    }

    private static async Task<(long Ok, long Failed)> LoopAsync(GRPCInferenceService.GRPCInferenceServiceClient client, ModelInferRequest request,
        int clients, double seconds, List<double>? latencies)
    {
        long ok = 0, failed = 0;
        var clock = Stopwatch.StartNew();
        var end = TimeSpan.FromSeconds(seconds);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < end)
            {
                var started = clock.Elapsed;
                try
                {
                    var response = await client.ModelInferAsync(request, deadline: DateTime.UtcNow.AddSeconds(30));
                    if (response.RawOutputContents.Count == 2) Interlocked.Increment(ref ok); else Interlocked.Increment(ref failed);
                    if (latencies is not null) lock (latencies) latencies.Add((clock.Elapsed - started).TotalMilliseconds);
                }
                catch (RpcException)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        })));
        return (ok, failed);
    }
}
