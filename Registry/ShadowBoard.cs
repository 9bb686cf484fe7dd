using MnistEvents.Contracts;

namespace MnistEvents.Registry;

/// <summary>
/// Each replica's latest <see cref="ShadowReported"/>, summed over the live replicas (heard from within
/// <paramref name="liveFor"/>) for one candidate: the gateway shows it, the controller settles a waiting promotion by it.
/// A replica's counts are cumulative since it began shadowing, so a board that starts empty (a restart) is whole again
/// with each replica's next report.
/// </summary>
public sealed class ShadowBoard(TimeSpan liveFor, TimeProvider time)
{
    private readonly Dictionary<string, ShadowReported> latest = [];
    private readonly Lock gate = new();

    public event Action? Changed;

    public void Reported(ShadowReported report)
    {
        lock (gate) latest[report.Replica] = report;
        Changed?.Invoke();
    }

    /// <summary>How <paramref name="candidate"/> compares so far, or null when no live replica reports on it.</summary>
    public ShadowView? View(string candidate)
    {
        var cutoff = time.GetUtcNow() - liveFor;
        ShadowReported[] live;
        lock (gate) live = latest.Values.Where(r => r.At >= cutoff).ToArray();
        var reports = live.Where(r => r.Candidate == candidate).ToArray();
        if (reports.Length == 0) return null;
        var compared = reports.Sum(r => r.Compared);
        double Mean(Func<ShadowReported, double> value) => compared == 0 ? 0 : reports.Sum(r => value(r) * r.Compared) / compared;
        var agreed = reports.Sum(r => r.Agreed);
        return new ShadowView(candidate, compared, agreed, compared == 0 ? 0 : agreed / (double)compared, Mean(r => r.CandidateConfidence),
            Mean(r => r.ActiveConfidence), Mean(r => r.CandidateMsPerDigit), Mean(r => r.ActiveMsPerDigit), reports.Select(r => r.Replica).Order(StringComparer.Ordinal).ToArray());
    }
}
