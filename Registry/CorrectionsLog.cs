using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace MnistEvents.Registry;

/// <summary>
/// People's corrections on the model volume (<see cref="ModelVolume.CorrectionsPath"/>), one JSON line each: the one
/// owner of that file's rules, for the gateway that appends and the trainer that reads. A correction counts when it has
/// a label 0–9 and 784 pixels, and only the first per prediction id does; a line that cannot be read (torn by a crash,
/// damaged) is skipped, and at most <see cref="Cap"/> are kept. Appends are flushed to disk before the caller hears
/// "kept", one write per line, so two gateways on one volume never interleave inside a line.
/// </summary>
public sealed class CorrectionsLog(ModelVolume volume, int cap, ILogger<CorrectionsLog>? logger = null) : IDisposable
{
    /// <summary>How many of the newest corrections are held in memory to score the served model on.</summary>
    public const int LatestKept = 200;

    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly HashSet<Guid> corrected = [];
    private readonly int[] perLabel = new int[10];
    private readonly Queue<CorrectionRecord> latest = new();
    private bool loaded;
    private bool endsMidLine;

    public string FilePath => volume.CorrectionsPath;

    public int Cap => cap;

    public static bool IsValid(CorrectionRecord? record) => record is { Label: >= 0 and <= 9, Pixels.Length: 784 };

    /// <summary>The corrections as they are on disk now, for a training: each one that counts, oldest first.</summary>
    public IReadOnlyList<CorrectionRecord> ReadAll() => Scan().Records;

    public async Task<CorrectionsCount> CountAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            Load();
            return Count();
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The newest corrections kept, at most <see cref="LatestKept"/>, oldest first.</summary>
    public async Task<IReadOnlyList<CorrectionRecord>> LatestAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            Load();
            return [.. latest];
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task<(CorrectionOutcome Outcome, CorrectionsCount Count)> AddAsync(CorrectionRecord record, CancellationToken cancellationToken)
    {
        if (!IsValid(record)) throw new ArgumentException("a correction has a label 0-9 and 784 pixels", nameof(record));
        await gate.WaitAsync(cancellationToken);
        try
        {
            Load();
            if (corrected.Contains(record.PredictionId)) return (CorrectionOutcome.AlreadyCorrected, Count());
            if (corrected.Count >= cap) return (CorrectionOutcome.Full, Count());

            Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
            var json = JsonSerializer.SerializeToUtf8Bytes(record, RegistryFiles.JsonLine);
            var line = new byte[json.Length + (endsMidLine ? 2 : 1)];
            // After a torn last line, the next correction starts on a line of its own.
            if (endsMidLine) line[0] = (byte)'\n';
            json.CopyTo(line, endsMidLine ? 1 : 0);
            line[^1] = (byte)'\n';
            await using (var file = new FileStream(FilePath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite))
            {
                await file.WriteAsync(line, cancellationToken);
                file.Flush(flushToDisk: true);
            }
            endsMidLine = false;
            Keep(record);
            return (CorrectionOutcome.Recorded, Count());
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose() => gate.Dispose();

    private void Load()
    {
        if (loaded) return;
        loaded = true;
        var scan = Scan();
        foreach (var record in scan.Records) Keep(record);
        endsMidLine = scan.EndsMidLine;
        if (scan.Skipped > 0) logger?.LogWarning("Skipped {Skipped} unreadable line(s) of {CorrectionsPath}", scan.Skipped, FilePath);
        logger?.LogInformation("{Count} correction(s) kept in {CorrectionsPath}", corrected.Count, FilePath);
    }

    private (List<CorrectionRecord> Records, int Skipped, bool EndsMidLine) Scan()
    {
        var records = new List<CorrectionRecord>();
        if (!File.Exists(FilePath)) return (records, 0, false);
        var seen = new HashSet<Guid>();
        var skipped = 0;
        foreach (var line in File.ReadLines(FilePath))
        {
            if (records.Count >= cap) break;
            if (line.Length == 0) continue;
            try
            {
                if (JsonSerializer.Deserialize<CorrectionRecord>(line, RegistryFiles.JsonLine) is { } record && IsValid(record))
                {
                    if (seen.Add(record.PredictionId)) records.Add(record);
                }
                else skipped++;
            }
            catch (JsonException)
            {
                skipped++;
            }
        }
        using var file = new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var endsMidLine = file.Length > 0 && file.Seek(-1, SeekOrigin.End) >= 0 && file.ReadByte() != '\n';
        return (records, skipped, endsMidLine);
    }

    private void Keep(CorrectionRecord record)
    {
        if (!corrected.Add(record.PredictionId)) return;
        perLabel[record.Label]++;
        latest.Enqueue(record);
        if (latest.Count > LatestKept) latest.Dequeue();
    }

    private CorrectionsCount Count() => new(corrected.Count, [.. perLabel]);
}
