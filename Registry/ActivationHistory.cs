using System.Text;
using System.Text.Json;

namespace MnistEvents.Registry;

/// <summary>The volume's append-only activation history (<see cref="ModelVolume.HistoryPath"/>): one JSON line per activation.</summary>
public sealed class ActivationHistory(ModelVolume volume)
{
    public IReadOnlyList<ModelActivation> Read()
    {
        if (!File.Exists(volume.HistoryPath)) return [];
        var activations = new List<ModelActivation>();
        foreach (var line in File.ReadLines(volume.HistoryPath))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                if (JsonSerializer.Deserialize<ModelActivation>(line, RegistryFiles.Json) is { } activation) activations.Add(activation);
            }
            catch (JsonException)
            {
                // A line torn by a crash mid-append: the pointer, not the history, says what is active.
            }
        }
        return activations;
    }

    /// <summary>The version that was active before the current one, which pruning keeps for a rollback.</summary>
    public string? Previous => Read().LastOrDefault()?.Previous;

    public void Append(ModelActivation activation)
    {
        using var history = new FileStream(volume.HistoryPath, FileMode.Append, FileAccess.Write, FileShare.Read);
        history.Write(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(activation, RegistryFiles.JsonLine) + "\n"));
        history.Flush(flushToDisk: true);
    }
}
