using System.Globalization;
using MnistEvents.Registry;

namespace MnistEvents.Model.Evaluation;

/// <summary>
/// The one rule for promotion: a candidate replaces the active model only if it is not worse by more than the
/// tolerance on the MNIST test set and on the real-uploads validation set, or when a person asked regardless.
/// Scores are fractions (0..1); the tolerance is in percentage points.
/// </summary>
public static class PromotionGate
{
    public static PromotionDecision Judge(string candidate, double candidateMnist, double candidateUploads,
        string? active, double? activeMnist, double? activeUploads, double tolerancePoints, bool regardless, DateTimeOffset at)
    {
        PromotionDecision Decide(bool promoted, string reason) => new(candidate, active, promoted, regardless && promoted, reason,
            candidateMnist, candidateUploads, activeMnist, activeUploads, tolerancePoints, at);

        if (active is null || activeMnist is not { } mnist || activeUploads is not { } uploads)
            return Decide(true, "the first model: there is none to compare it with");

        var shortfalls = new List<string>();
        if ((mnist - candidateMnist) * 100 > tolerancePoints) shortfalls.Add($"MNIST test {Percent(candidateMnist)} vs {Percent(mnist)}");
        if ((uploads - candidateUploads) * 100 > tolerancePoints) shortfalls.Add($"real uploads {Percent(candidateUploads)} vs {Percent(uploads)}");
        var scores = $"MNIST test {Percent(candidateMnist)} vs {Percent(mnist)}, real uploads {Percent(candidateUploads)} vs {Percent(uploads)}";
        var tolerance = tolerancePoints.ToString("0.##", CultureInfo.InvariantCulture);

        if (shortfalls.Count == 0)
            return Decide(true, $"not worse than {active} by more than {tolerance} points: {scores}");
        var worse = $"worse than {active} by more than {tolerance} points: {string.Join(", ", shortfalls)}";
        return regardless ? Decide(true, $"promoted regardless, as asked, though {worse}") : Decide(false, worse);
    }

    public static string Percent(double fraction) => (fraction * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%";
}
