namespace MnistEvents.Registry;

/// <summary>
/// The kept corrections as a training sees them (<see cref="CorrectionTrust.Judge"/>): those trusted enough to learn
/// from (or be judged on), oldest first, and those refused, each with its reason.
/// </summary>
public sealed record CorrectionsJudged(IReadOnlyList<CorrectionRecord> Trusted, IReadOnlyList<RefusedCorrection> Refused)
{
    public static CorrectionsJudged None { get; } = new([], []);

    /// <summary>How many were refused for each reason.</summary>
    public IReadOnlyDictionary<CorrectionRefusal, int> RefusedBy() =>
        Refused.GroupBy(r => r.Reason).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>In words, for the gate's verdict and the trainer's log: "52 corrections: 40 trusted, 12 refused (6 contradictory, …)".</summary>
    public string Summary()
    {
        var total = Trusted.Count + Refused.Count;
        if (Refused.Count == 0) return $"{total} correction(s), all trusted";
        var reasons = string.Join(", ", RefusedBy().Select(r => $"{r.Value} {Words(r.Key)}"));
        return $"{total} correction(s): {Trusted.Count} trusted, {Refused.Count} refused ({reasons})";
    }

    public static string Words(CorrectionRefusal reason) => reason switch
    {
        CorrectionRefusal.Contradictory => "contradictory",
        CorrectionRefusal.Repeated => "repeated by one client",
        CorrectionRefusal.Duplicate => "duplicate",
        CorrectionRefusal.AwaitingCorroboration => "awaiting corroboration",
        CorrectionRefusal.OverClientShare => "over their client's share",
        CorrectionRefusal.Rejected => "rejected by an admin",
        _ => reason.ToString(),
    };
}
