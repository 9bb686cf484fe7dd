using System.Text.Json;

namespace MnistEvents.Registry;

/// <summary>
/// Reads the corrections people gave (<c>POST /feedback</c>), a JSON-lines file on the model volume: each prediction's
/// first correction only, lines that cannot be read (a torn last line, a damaged one) skipped, at most
/// <paramref name="max"/> read.
/// </summary>
public static class CorrectionsFile
{
    public static IReadOnlyList<CorrectionRecord> Read(string path, int max)
    {
        if (!File.Exists(path)) return [];
        var seen = new HashSet<Guid>();
        var records = new List<CorrectionRecord>();
        foreach (var line in File.ReadLines(path))
        {
            if (records.Count >= max) break;
            if (line.Length == 0) continue;
            try
            {
                if (JsonSerializer.Deserialize<CorrectionRecord>(line, RegistryFiles.JsonLine) is { Label: >= 0 and <= 9, Pixels.Length: 784 } record
                    && seen.Add(record.PredictionId))
                    records.Add(record);
            }
            catch (JsonException)
            {
            }
        }
        return records;
    }
}
