using System.Diagnostics.Metrics;
using MassTransit;
using Microsoft.Extensions.Options;
using MnistEvents.Contracts;
using MnistEvents.Imaging.Profiles;
using MnistEvents.Registry;

namespace MnistEvents.Controller.Drift;

/// <summary>
/// Compares what the live digits look like with the served version's training and validation data (its manifest's
/// <see cref="ModelManifest.Profile"/>). Each replica reports its count for the version it serves, cumulative, with its
/// heartbeat; the window is what was counted since the report the window's length ago (until the controller has heard a
/// replica that long, its whole count for the version), summed over the live replicas that serve the active version.
/// Every <see cref="DriftOptions.SampleSeconds"/> the score is taken, kept in a bounded history, published
/// (<see cref="DriftScored"/>: every gateway shows the same), and measured on <c>/metrics</c>. One place computes it: the
/// controller, which hears every replica.
/// </summary>
public sealed class DriftMonitor : BackgroundService
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, ReplicaSeries> replicas = [];
    private readonly Queue<DriftPoint> history = new();
    private readonly Dictionary<string, InputProfile?> baselines = [];
    private readonly DriftOptions options;
    private readonly ControllerOptions controller;
    private readonly ModelRegistry registry;
    private readonly IBus bus;
    private readonly TimeProvider time;
    private readonly ILogger<DriftMonitor> logger;
    private DriftNow current;

    public DriftMonitor(IOptions<DriftOptions> options, IOptions<ControllerOptions> controller, ModelRegistry registry, IBus bus, TimeProvider time,
        IMeterFactory meters, ILogger<DriftMonitor> logger)
    {
        this.options = options.Value;
        this.controller = controller.Value;
        this.registry = registry;
        this.bus = bus;
        this.time = time;
        this.logger = logger;
        current = new DriftNow(null, 0, this.options.WindowMinutes, this.options.MinDigits, null, null, [], "no replica has reported yet", time.GetUtcNow());
        var meter = meters.Create(ServiceDefaults.Extensions.TelemetryPrefix + ".Controller");
        meter.CreateObservableGauge("mnist.controller.drift.score", Scores, "{psi}",
            "Population stability index of the live digits against the served version's data, per feature and overall (the largest)");
        meter.CreateObservableGauge("mnist.controller.drift.digits", () => Current.Digits, "{digit}", "Live digits in the drift window");
    }

    public DriftNow Current
    {
        get { lock (gate) return current; }
    }

    public DriftScored History()
    {
        lock (gate) return new DriftScored(current, [.. history]);
    }

    /// <summary>
    /// Since when the score has stayed above <paramref name="threshold"/> for the version served now, without a gap (a
    /// point with too few digits to score is one); null when the latest score is not above it.
    /// </summary>
    public DateTimeOffset? AboveSince(double threshold)
    {
        lock (gate)
        {
            DateTimeOffset? since = null;
            string? version = null;
            foreach (var point in history.Reverse())
            {
                if (point.Score is not { } score || score <= threshold || (version is not null && point.Version != version)) break;
                version = point.Version;
                since = point.At;
            }
            return since;
        }
    }

    public void Reported(ReplicaReported report)
    {
        if (report.ModelVersion is not { } version || !InputProfiles.IsWellFormed(report.Inputs)) return;
        var at = time.GetUtcNow();
        var keepEvery = TimeSpan.FromMinutes(options.WindowMinutes) / 60;
        lock (gate)
        {
            if (!replicas.TryGetValue(report.Replica, out var series) || series.Version != version
                || InputProfiles.Since(report.Inputs!, series.Latest.Profile) is null)
                replicas[report.Replica] = series = new ReplicaSeries(version, (at, report.Inputs!));
            series.Latest = (at, report.Inputs!);
            // At most about 60 kept per window: enough to slide it in steps of a sixtieth.
            if (series.Kept.Count == 0 || at - series.Kept.Last().At >= keepEvery) series.Kept.Add((at, report.Inputs!));
            var start = at - TimeSpan.FromMinutes(options.WindowMinutes);
            var older = series.Kept.FindLastIndex(k => k.At <= start);
            if (older > 0) series.Kept.RemoveRange(0, older);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.SampleSeconds), time);
        try
        {
            do
            {
                var view = Score();
                lock (gate)
                {
                    current = view;
                    history.Enqueue(new DriftPoint(view.At, view.Version, view.Digits, view.Score, view.Feature));
                    while (history.Count > options.HistoryPoints) history.Dequeue();
                }
                try
                {
                    await bus.Publish(History(), stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The broker briefly away: the next sample goes out, with the whole history.
                    logger.LogWarning("The drift score could not be published now: {Reason}", e.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The score now, from the replicas' latest reports.</summary>
    public DriftNow Score()
    {
        var now = time.GetUtcNow();
        var version = registry.ActiveVersion ?? registry.ActiveManifest?.Version;
        DriftNow View(long digits, string state, double? score = null, string? feature = null, IReadOnlyList<FeatureDrift>? features = null) =>
            new(version, digits, options.WindowMinutes, options.MinDigits, score, feature,
                [.. (features ?? []).Select(f => new FeatureScore(f.Feature, f.Words, f.Score))], state, now);
        if (version is null) return View(0, "no model is served yet");

        var live = InputProfiles.Sum(Window(version, now));
        var baseline = Baseline(version);
        if (baseline is null)
            return View(live.Digits, $"{version} has no data profile to compare with (saved before profiles were kept); the next training judged against it records one");
        if (live.Digits < options.MinDigits)
            return View(live.Digits, $"collecting: {live.Digits:N0} of the {options.MinDigits:N0} live digits a score needs in the last {options.WindowMinutes:0.##} min");
        var features = InputProfiles.Compare(baseline, live);
        var largest = features.MaxBy(f => f.Score);
        return View(live.Digits, "scored", largest?.Score, largest?.Feature, features);
    }

    private List<InputProfile> Window(string version, DateTimeOffset now)
    {
        var start = now - TimeSpan.FromMinutes(options.WindowMinutes);
        var heard = now - TimeSpan.FromSeconds(controller.ReplicaExpirySeconds);
        var parts = new List<InputProfile>();
        lock (gate)
        {
            foreach (var (name, series) in replicas.ToList())
            {
                if (series.Latest.At < heard)
                {
                    // Gone: a replica that comes back starts a new series anyway.
                    if (series.Latest.At < heard - TimeSpan.FromMinutes(options.WindowMinutes)) replicas.Remove(name);
                    continue;
                }
                if (series.Version != version) continue;
                var before = series.Kept.LastOrDefault(k => k.At <= start);
                parts.Add(before.Profile is { } earlier ? InputProfiles.Since(series.Latest.Profile, earlier) ?? series.Latest.Profile : series.Latest.Profile);
            }
        }
        return parts;
    }

    private InputProfile? Baseline(string version)
    {
        lock (gate)
            if (baselines.TryGetValue(version, out var known) && known is not null) return known;
        // Read again while absent: the seed's adopted file gets its profile the first time a candidate is judged against it.
        var profile = registry.Find(version)?.Profile ?? (registry.ActiveVersion is null ? registry.ActiveManifest?.Profile : null);
        profile = InputProfiles.IsWellFormed(profile) ? profile : null;
        lock (gate)
        {
            if (baselines.Count > 64) baselines.Clear();
            baselines[version] = profile;
        }
        return profile;
    }

    private IEnumerable<Measurement<double>> Scores()
    {
        var view = Current;
        if (view.Score is not { } score) yield break;
        yield return new Measurement<double>(score, new KeyValuePair<string, object?>("feature", "overall"));
        foreach (var feature in view.Features) yield return new Measurement<double>(feature.Score, new KeyValuePair<string, object?>("feature", feature.Feature));
    }

    private sealed class ReplicaSeries(string version, (DateTimeOffset At, InputProfile Profile) first)
    {
        public string Version { get; } = version;

        public (DateTimeOffset At, InputProfile Profile) Latest { get; set; } = first;

        public List<(DateTimeOffset At, InputProfile Profile)> Kept { get; } = [];
    }
}
