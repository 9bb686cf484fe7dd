using MnistEvents.Registry;

namespace MnistEvents.Controller.Policy;

/// <summary>
/// The corrections' standings as the next training will see them (<see cref="CorrectionTrust"/>), for the retrain
/// policy: judged again only when the corrections or the admins' reviews changed on disk, since judging reads the whole
/// file. The records come without their pixels (<see cref="CorrectionsLog.PixelsOf"/> reads back those needed).
/// </summary>
public sealed class TrustedCorrections(CorrectionsLog corrections, ModelVolume volume)
{
    private readonly Lock gate = new();
    private (string Key, CorrectionsJudged Judged)? cached;

    public CorrectionsJudged Judged()
    {
        var key = $"{Stamp(volume.CorrectionsPath)}|{Stamp(volume.CorrectionReviewsPath)}";
        lock (gate)
            if (cached is { } known && known.Key == key) return known.Judged;
        var judged = corrections.JudgeStandings(corrections.ReadReviews());
        lock (gate) cached = (key, judged);
        return judged;
    }

    /// <summary>Those of <paramref name="records"/> still on disk, with their pixels, in the same order.</summary>
    public IReadOnlyList<CorrectionRecord> WithPixels(IReadOnlyList<CorrectionRecord> records)
    {
        var pixels = corrections.PixelsOf(records.Select(r => r.PredictionId).ToHashSet());
        return [.. records.Where(r => pixels.ContainsKey(r.PredictionId)).Select(r => r with { Pixels = pixels[r.PredictionId] })];
    }

    private static string Stamp(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? $"{file.Length}:{file.LastWriteTimeUtc.Ticks}" : "none";
    }
}
