using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using MnistEvents.TestSupport;

namespace MnistEvents.FaultTests;

/// <summary>
/// Synchronous predictions sent while a fault is injected, and what became of each: answered (200), refused with a
/// reason (a 4xx or 503 problem+json with words), or lost (no answer within the deadline and its margin, a broken
/// connection, a 5xx that is not a refusal, or a refusal without words).
/// </summary>
public sealed class Load
{
    /// <summary>The gateway's deadline is 10 s from arrival; an answer later than this counts as lost.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    /// <summary>Larger runs for bench/faults: FAULTS_SCALE multiplies every request count.</summary>
    public static int Scale { get; } = int.TryParse(Environment.GetEnvironmentVariable("FAULTS_SCALE"), out var scale) && scale > 0 ? scale : 1;

    private readonly ConcurrentBag<Outcome> outcomes = [];
    private readonly ConcurrentDictionary<int, long> inFlight = new();

    public IReadOnlyCollection<Outcome> Outcomes => outcomes;

    public int Sent => outcomes.Count;
    public int Answered => outcomes.Count(o => o.Kind == OutcomeKind.Answered);
    public int Refused => outcomes.Count(o => o.Kind == OutcomeKind.Refused);
    public int Lost => outcomes.Count(o => o.Kind == OutcomeKind.Lost);

    /// <summary>How long the oldest request still waiting for its answer has waited.</summary>
    public TimeSpan OldestInFlight => System.Diagnostics.Stopwatch.GetElapsedTime(inFlight.Values.DefaultIfEmpty(System.Diagnostics.Stopwatch.GetTimestamp()).Min());

    public static HttpClient Client(ServiceProcess gateway) => new() { BaseAddress = gateway.Url, Timeout = Patience };

    /// <summary>Sends with <paramref name="concurrency"/> requests in flight until <paramref name="stop"/> fires.</summary>
    public Task RunAsync(HttpClient http, int concurrency, CancellationToken stop, Func<int, byte[]>? upload = null) =>
        Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            for (var i = worker; !stop.IsCancellationRequested; i += concurrency)
            {
                inFlight[worker] = System.Diagnostics.Stopwatch.GetTimestamp();
                outcomes.Add(await SendAsync(http, (upload ?? DefaultUpload)(i)));
                inFlight.TryRemove(worker, out _);
            }
        }));

    public static async Task<Outcome> SendAsync(HttpClient http, byte[] image)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var outcome = await ExchangeAsync(http, image);
        return outcome with { Elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started) };
    }

    /// <summary>The answered requests' latency at <paramref name="percentile"/> (0–100), in ms.</summary>
    public double AnsweredMilliseconds(double percentile)
    {
        var sorted = outcomes.Where(o => o.Kind == OutcomeKind.Answered).Select(o => o.Elapsed.TotalMilliseconds).Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    private static async Task<Outcome> ExchangeAsync(HttpClient http, byte[] image)
    {
        try
        {
            using var response = await http.PostAsync("/prediction", Uploads.Form(image));
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var json = JsonDocument.Parse(body).RootElement;
                return new Outcome(OutcomeKind.Answered, 200, json.GetProperty("modelVersion").GetString(), json.GetProperty("replica").GetString());
            }
            var status = (int)response.StatusCode;
            var problem = response.Content.Headers.ContentType?.MediaType == "application/problem+json" ? JsonDocument.Parse(body).RootElement : (JsonElement?)null;
            var refusal = status is (>= 400 and < 500) or 503
                          && problem?.TryGetProperty("detail", out var detail) == true && detail.GetString() is { Length: > 0 };
            return new Outcome(refusal ? OutcomeKind.Refused : OutcomeKind.Lost, status, null, null, refusal ? problem!.Value.GetProperty("title").GetString() : body);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return new Outcome(OutcomeKind.Lost, 0, null, null, e.GetType().Name + ": " + e.Message);
        }
    }

    /// <summary>The line bench/faults collects: what was injected and what became of every request.</summary>
    public string Report(string scenario, string injected, string served) => ReportLine(scenario, injected, Sent, Answered, Refused, Lost, served);

    /// <summary>The line bench/faults collects, for a scenario that counts its requests itself.</summary>
    public static string ReportLine(string scenario, string injected, int sent, int answered, int refused, int lost, string served) =>
        $"FAULTS | {scenario} | {injected} | {sent} | {answered} | {refused} | {lost} | {served}";

    private static readonly byte[][] Digits = Enumerable.Range(0, 100).Select(Uploads.DigitPng).ToArray();

    private static byte[] DefaultUpload(int i) => Digits[i % Digits.Length];
}
