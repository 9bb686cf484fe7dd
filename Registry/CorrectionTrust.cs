using System.Globalization;

namespace MnistEvents.Registry;

/// <summary>
/// How far people's corrections are trusted before a training learns from them: the one place these rules live, for
/// the trainer that uses them and the gateway that shows each correction's standing. What learns from anonymous
/// clients is an attack surface (six corrections of one "8" as 3, 7, 0, 4, 1 and 2 once moved what the model said), so:
/// <list type="bullet">
/// <item>an image is known by its pixels (<see cref="ImageFingerprint"/>), not its prediction id, and counts once;</item>
/// <item>an image corrected to different labels is contradictory, and none of those corrections is used;</item>
/// <item>one client correcting one image <see cref="CorrectionsOptions.SuspiciousRepeats"/> times is suspicious, and none of those is used;</item>
/// <item>a correction of an answer given with at least <see cref="CorrectionsOptions.ConfidentAnswer"/> confidence
/// waits until a second client corrects the image the same way, or an admin accepts it;</item>
/// <item>at most <see cref="CorrectionsOptions.MaxTrainedPerClient"/> of one client's corrections count in a training;</item>
/// <item>an admin's verdict (<see cref="CorrectionReview"/>) overrides the rules: accepted is trusted, rejected never, deleted is gone.</item>
/// </list>
/// </summary>
public static class CorrectionTrust
{
    /// <summary>The client of corrections kept before clients were recorded: they share one client's share.</summary>
    public const string UnknownClient = "unknown";

    /// <summary>Judges <paramref name="records"/>, each image known by <paramref name="fingerprint"/> (by default <see cref="ImageFingerprint.Of"/> its pixels).</summary>
    public static CorrectionsJudged Judge(IReadOnlyList<CorrectionRecord> records, IReadOnlyDictionary<Guid, CorrectionReview> reviews, CorrectionsOptions options,
        Func<CorrectionRecord, string>? fingerprint = null)
    {
        fingerprint ??= record => ImageFingerprint.Of(record.Pixels);
        var refused = new List<RefusedCorrection>();
        var images = new List<(CorrectionRecord Record, bool Accepted)>();
        CorrectionVerdict? Verdict(CorrectionRecord r) => reviews.TryGetValue(r.PredictionId, out var review) ? review.Verdict : null;

        foreach (var image in records.Where(r => Verdict(r) != CorrectionVerdict.Deleted).GroupBy(fingerprint))
        {
            var rest = new List<CorrectionRecord>();
            foreach (var record in image)
            {
                if (Verdict(record) == CorrectionVerdict.Rejected)
                    refused.Add(new(record, CorrectionRefusal.Rejected, $"rejected by {reviews[record.PredictionId].By}"));
                else rest.Add(record);
            }
            if (rest.Count == 0) continue;

            if (rest.FirstOrDefault(r => Verdict(r) == CorrectionVerdict.Accepted) is { } accepted)
            {
                images.Add((accepted, true));
                foreach (var other in rest.Where(r => r != accepted))
                    refused.Add(other.Label == accepted.Label
                        ? new(other, CorrectionRefusal.Duplicate, $"the same image is trusted from {accepted.PredictionId}")
                        : new(other, CorrectionRefusal.Contradictory, $"an admin accepted this image as {accepted.Label}"));
                continue;
            }

            var labels = rest.Select(r => r.Label).Distinct().Order().ToList();
            if (labels.Count > 1)
            {
                var detail = $"this image was corrected as {string.Join(", ", labels)} by {Clients(rest)} client(s)";
                refused.AddRange(rest.Select(r => new RefusedCorrection(r, CorrectionRefusal.Contradictory, detail)));
                continue;
            }

            var repeaters = rest.GroupBy(Client).Where(c => c.Count() >= options.SuspiciousRepeats).ToList();
            foreach (var repeater in repeaters)
                refused.AddRange(repeater.Select(r => new RefusedCorrection(r, CorrectionRefusal.Repeated,
                    $"one client corrected this image {repeater.Count()} times")));
            var honest = rest.Where(r => repeaters.All(c => c.Key != Client(r))).ToList();
            if (honest.Count == 0) continue;

            var first = honest[0];
            if (first.Confidence >= options.ConfidentAnswer && first.Label != first.Predicted && Clients(honest) < 2)
            {
                var detail = string.Create(CultureInfo.InvariantCulture,
                    $"it says the model's {first.Confidence:P3} confident {first.Predicted} was a {first.Label}; used once a second client corrects it the same way or an admin accepts it");
                refused.AddRange(honest.Select(r => new RefusedCorrection(r, CorrectionRefusal.AwaitingCorroboration, detail)));
                continue;
            }
            images.Add((first, false));
            refused.AddRange(honest.Skip(1).Select(r => new RefusedCorrection(r, CorrectionRefusal.Duplicate, $"the same image is trusted from {first.PredictionId}")));
        }

        var trusted = new List<CorrectionRecord>();
        var perClient = new Dictionary<string, int>();
        foreach (var (record, accepted) in images.OrderBy(i => i.Record.CorrectedAt))
        {
            var client = Client(record);
            var count = perClient[client] = perClient.GetValueOrDefault(client) + 1;
            if (!accepted && count > options.MaxTrainedPerClient)
                refused.Add(new(record, CorrectionRefusal.OverClientShare, $"client {client} already has {options.MaxTrainedPerClient} corrections in this training"));
            else trusted.Add(record);
        }
        return new CorrectionsJudged(trusted, [.. refused.OrderBy(r => r.Record.CorrectedAt)]);
    }

    public static string Client(CorrectionRecord record) => record.Client ?? UnknownClient;

    private static int Clients(IEnumerable<CorrectionRecord> records) => records.Select(Client).Distinct().Count();
}
