using System.Text.Json;
using Microsoft.Extensions.Options;
using MnistEvents.Registry;

namespace MnistEvents.Gateway.Feedback;

/// <summary>
/// Corrections kept durably, append-only, one JSON line each, flushed to disk before the caller hears "kept". A line
/// torn by a crash is skipped when the file is read back; the next correction starts on a line of its own.
/// </summary>
public sealed class FeedbackStore(IOptions<GatewayOptions> options, ILogger<FeedbackStore> logger) : IDisposable
{
    /// <summary>How many of the newest corrections are held in memory to score the served model on.</summary>
    public const int LatestKept = 200;

    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly HashSet<Guid> corrected = [];
    private readonly int[] perLabel = new int[10];
    private readonly Queue<CorrectionRecord> latest = new();
    private bool loaded;
    private bool endsMidLine;

    private readonly string filePath = options.Value.FeedbackPath ?? new ModelRegistry(options.Value.ModelPath).CorrectionsPath;

    public async Task<FeedbackSummary> SummaryAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            Load();
            return Summary();
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

    public async Task<(FeedbackOutcome Outcome, FeedbackSummary Summary)> AddAsync(CorrectionRecord record, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            Load();
            if (corrected.Contains(record.PredictionId)) return (FeedbackOutcome.AlreadyCorrected, Summary());
            if (corrected.Count >= options.Value.MaxFeedbackRecords) return (FeedbackOutcome.Full, Summary());

            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(filePath))!);
            // One write per correction: appends from two gateways on one volume never interleave inside a line.
            var json = JsonSerializer.SerializeToUtf8Bytes(record, RegistryFiles.JsonLine);
            var line = new byte[json.Length + (endsMidLine ? 2 : 1)];
            if (endsMidLine) line[0] = (byte)'\n';
            json.CopyTo(line, endsMidLine ? 1 : 0);
            line[^1] = (byte)'\n';
            await using (var file = new FileStream(filePath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite))
            {
                await file.WriteAsync(line, cancellationToken);
                file.Flush(flushToDisk: true);
            }
            endsMidLine = false;
            Count(record);
            return (FeedbackOutcome.Recorded, Summary());
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
        if (!File.Exists(filePath)) return;

        var skipped = 0;
        foreach (var line in File.ReadLines(filePath))
        {
            if (line.Length == 0) continue;
            try
            {
                if (JsonSerializer.Deserialize<CorrectionRecord>(line, RegistryFiles.JsonLine) is { Label: >= 0 and <= 9 } record) Count(record);
                else skipped++;
            }
            catch (JsonException)
            {
                skipped++;
            }
        }
        using (var file = File.OpenRead(filePath))
        {
            endsMidLine = file.Length > 0 && file.Seek(-1, SeekOrigin.End) >= 0 && file.ReadByte() != '\n';
        }
        if (skipped > 0) logger.LogWarning("Skipped {Skipped} unreadable line(s) of {FeedbackPath}", skipped, Path.GetFullPath(filePath));
        logger.LogInformation("{Count} correction(s) kept in {FeedbackPath}", corrected.Count, Path.GetFullPath(filePath));
    }

    private void Count(CorrectionRecord record)
    {
        if (!corrected.Add(record.PredictionId)) return;
        perLabel[record.Label]++;
        latest.Enqueue(record);
        if (latest.Count > LatestKept) latest.Dequeue();
    }

    private FeedbackSummary Summary() => new(corrected.Count, [.. perLabel]);
}
