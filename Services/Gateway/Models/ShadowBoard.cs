using Microsoft.Extensions.Options;
using MnistEvents.Contracts;

namespace MnistEvents.Gateway.Models;

/// <summary>Each replica's latest <see cref="ShadowReported"/>, summed over the live replicas for one candidate.</summary>
public sealed class ShadowBoard(IOptions<GatewayOptions> options, TimeProvider time)
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
        var cutoff = time.GetUtcNow() - TimeSpan.FromSeconds(options.Value.ReplicaExpirySeconds);
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
