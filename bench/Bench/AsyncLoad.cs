using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace MnistEvents.Bench;

/// <summary>
/// Load on the async path as a browser makes it, from real SignalR clients: each client connects to the hub, calls
/// <c>subscribe</c>, and in a closed loop submits a batch of images (<c>POST /predictions</c>, multipart, its key in field
/// <c>subscription</c>) and waits until every one's <c>predicted</c> push has arrived. Prints images/s answered by push,
/// and the time from submit to push per image at p50/p99.
/// </summary>
public static class AsyncLoad
{
    private static readonly Stopwatch Clock = Stopwatch.StartNew();

    public static async Task<int> RunAsync(string baseUrl, string imagePath, int clients, int perSubmission, double warmupSeconds, double seconds)
    {
        var image = await File.ReadAllBytesAsync(imagePath);
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(60) };
        var connections = await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => ConnectAsync(baseUrl)));
        try
        {
            var latencies = new ConcurrentBag<double>();
            var refused = 0L;
            var measureFrom = Clock.Elapsed + TimeSpan.FromSeconds(warmupSeconds);
            var end = measureFrom + TimeSpan.FromSeconds(seconds);
            long answered = 0;
            await Task.WhenAll(connections.Select(async c =>
            {
                while (Clock.Elapsed < end)
                {
                    var started = Clock.Elapsed;
                    var (ids, ok) = await SubmitAsync(http, c, image, perSubmission);
                    if (!ok) { Interlocked.Increment(ref refused); continue; }
                    foreach (var id in ids)
                    {
                        var pushedAt = await c.Pushed(id).WaitAsync(TimeSpan.FromSeconds(60));
                        if (started >= measureFrom && pushedAt <= end)
                        {
                            latencies.Add((pushedAt - started).TotalMilliseconds);
                            Interlocked.Increment(ref answered);
                        }
                    }
                }
            }));
            var sorted = latencies.Order().ToArray();
            double At(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
            // One line for the script: images/s, p50 ms, p99 ms, refused submissions, images measured.
            Console.WriteLine($"{answered / seconds:0} {At(0.50):0.0} {At(0.99):0.0} {refused} {answered}");
            return 0;
        }
        finally
        {
            foreach (var c in connections) await c.DisposeAsync();
        }
    }

    private static async Task<(Guid[] Ids, bool Ok)> SubmitAsync(HttpClient http, Client client, byte[] image, int count)
    {
        using var form = new MultipartFormDataContent();
        for (var i = 0; i < count; i++)
        {
            var file = new ByteArrayContent(image);
            file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            form.Add(file, "file", $"digit{i}.png");
        }
        form.Add(new StringContent(client.Key), "subscription");
        using var response = await http.PostAsync("/predictions", form);
        if (!response.IsSuccessStatusCode) return ([], false);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
        var ids = body.RootElement.GetProperty("items").EnumerateArray()
            .Where(i => i.GetProperty("id").ValueKind == JsonValueKind.String).Select(i => i.GetProperty("id").GetGuid()).ToArray();
        foreach (var id in ids) client.Expect(id);
        return (ids, ids.Length == count);
    }

    private static async Task<Client> ConnectAsync(string baseUrl)
    {
        var hub = new HubConnectionBuilder().WithUrl(new Uri(new Uri(baseUrl), "/hubs/predictions")).Build();
        var client = new Client(hub);
        hub.On<JsonElement>("predicted", p => client.Arrived(p.GetProperty("id").GetGuid()));
        await hub.StartAsync();
        client.Key = await hub.InvokeAsync<string>("subscribe");
        return client;
    }

    private sealed class Client(HubConnection hub) : IAsyncDisposable
    {
        private readonly ConcurrentDictionary<Guid, TaskCompletionSource<TimeSpan>> waiting = new();

        public string Key { get; set; } = "";

        // A push can arrive before the submission's response is read: whichever comes first creates the entry.
        public void Expect(Guid id) => waiting.GetOrAdd(id, _ => new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously));

        public void Arrived(Guid id) => waiting.GetOrAdd(id, _ => new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(Clock.Elapsed);

        public async Task<TimeSpan> Pushed(Guid id)
        {
            var at = await waiting[id].Task;
            waiting.TryRemove(id, out _);
            return at;
        }

        public ValueTask DisposeAsync() => hub.DisposeAsync();
    }
}
