using System.Diagnostics;
using System.Net.Http.Headers;

namespace MnistEvents.Bench;

/// <summary>
/// An open-loop load at a fixed rate (wrk's closed loop only measures the peak): a synchronous <c>POST /prediction</c>
/// of the image every 1/RATE seconds, however long answers take, at most 1,024 outstanding. Prints sent, answered 200,
/// failed, p50 and p99 ms.
/// </summary>
public static class RateLoad
{
    public static async Task<int> RunAsync(string url, string imagePath, double rate, double seconds)
    {
        var image = await File.ReadAllBytesAsync(imagePath);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var outstanding = new SemaphoreSlim(1024);
        var latencies = new List<double>();
        long sent = 0, ok = 0, failed = 0;
        var tasks = new List<Task>();
        var clock = Stopwatch.StartNew();
        var interval = TimeSpan.FromSeconds(1 / rate);
        for (var next = TimeSpan.Zero; next < TimeSpan.FromSeconds(seconds); next += interval)
        {
            if (next > clock.Elapsed) await Task.Delay(next - clock.Elapsed);
            if (!outstanding.Wait(0)) { Interlocked.Increment(ref failed); continue; }
            sent++;
            tasks.Add(Task.Run(async () =>
            {
                var started = clock.Elapsed;
                try
                {
                    using var form = new MultipartFormDataContent();
                    var file = new ByteArrayContent(image);
                    file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
                    form.Add(file, "file", "digit.png");
                    using var response = await http.PostAsync(url, form);
                    if (response.IsSuccessStatusCode) Interlocked.Increment(ref ok); else Interlocked.Increment(ref failed);
                    lock (latencies) latencies.Add((clock.Elapsed - started).TotalMilliseconds);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    Interlocked.Increment(ref failed);
                }
                finally
                {
                    outstanding.Release();
                }
            }));
            if (tasks.Count > 4096) tasks.RemoveAll(t => t.IsCompleted);
        }
        await Task.WhenAll(tasks);
        var sorted = latencies.Order().ToArray();
        double At(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
        Console.WriteLine($"{sent} {ok} {failed} {At(0.5):0.0} {At(0.99):0.0}");
        return 0;
    }
}
