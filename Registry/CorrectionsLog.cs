using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace MnistEvents.Registry;

/// <summary>
/// People's corrections on the model volume (<see cref="ModelVolume.CorrectionsPath"/>), one JSON line each: the one
/// owner of that file's rules, for the gateway that appends and the trainer that reads. A correction counts when it has
/// a label 0–9 and 784 pixels, and only the first per prediction id does; a line that cannot be read (torn by a crash,
/// damaged) is skipped, and at most <see cref="Cap"/> are kept. Appends are flushed to disk before the caller hears
/// "kept", one write per line, so two gateways on one volume never interleave inside a line. Each client may have at
/// most <see cref="CorrectionsOptions.MaxPerClient"/> kept, so no one client can fill the file for everybody. Admins'
/// verdicts on corrections (<see cref="CorrectionReview"/>) are kept beside it, and how far each correction is trusted
/// is <see cref="CorrectionTrust"/>'s to say (<see cref="Judge"/>). Several processes share the files (gateways append
/// corrections, the controller records the reviews): a deletion another recorded frees its client's share here at the
/// next call, and a review names a correction another appended after this one last read the file.
/// </summary>
public sealed class CorrectionsLog(ModelVolume volume, int cap, ILogger<CorrectionsLog>? logger = null, CorrectionsOptions? options = null) : IDisposable
{
    /// <summary>How many of the newest corrections are held in memory to score the served model on.</summary>
    public const int LatestKept = 200;

    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly HashSet<Guid> corrected = [];
    private readonly int[] perLabel = new int[10];
    private readonly Queue<CorrectionRecord> latest = new();
    private readonly Dictionary<string, int> perClient = [];
    // Whose each correction is, until deleted: a deletion frees its client's share.
    private readonly Dictionary<Guid, (string Client, int Label)> owners = [];
    private readonly HashSet<Guid> deleted = [];
    private readonly CorrectionsOptions rules = options ?? new CorrectionsOptions();
    private bool loaded;
    private bool endsMidLine;
    // The two files as this instance last read or wrote them: another process's change is noticed by the difference.
    private string correctionsStamp = "";
    private string reviewsStamp = "";

    public string FilePath => volume.CorrectionsPath;

    public int Cap => cap;

    public CorrectionsOptions Rules => rules;

    public static bool IsValid(CorrectionRecord? record) => record is { Label: >= 0 and <= 9, Pixels.Length: 784 };

    /// <summary>The corrections as they are on disk now: each one that counts, oldest first (deleted ones too: see <see cref="Judge"/>).</summary>
    public IReadOnlyList<CorrectionRecord> ReadAll()
    {
        var records = new List<CorrectionRecord>();
        Scan(records.Add);
        return records;
    }

    /// <summary>
    /// The corrections as they are on disk now, as a training sees them: which are trusted, which refused and why; and
    /// the file as it was read for that (hashed in the same pass, so a line appended meanwhile is in both or neither).
    /// </summary>
    public (CorrectionsJudged Judged, FileDigest? File) Judge()
    {
        var records = new List<CorrectionRecord>();
        using var sha = SHA256.Create();
        var (_, _, bytes) = Scan(records.Add, sha);
        var file = bytes is { } read ? new FileDigest(Path.GetFileName(FilePath), Convert.ToHexStringLower(sha.Hash!), read) : null;
        return (CorrectionTrust.Judge(records, ReadReviews(), rules), file);
    }

    /// <summary>
    /// Every correction's standing as <see cref="Judge"/> gives it, for listing: each judged by its image's fingerprint,
    /// and the records come without their pixels (<see cref="PixelsOf"/> reads back those shown). A full file's pixels
    /// held at once were ~100 MB of a gateway limited to 384 MiB.
    /// </summary>
    public CorrectionsJudged JudgeStandings(IReadOnlyDictionary<Guid, CorrectionReview> reviews)
    {
        var records = new List<CorrectionRecord>();
        var prints = new Dictionary<Guid, string>();
        var names = new Dictionary<string, string>();
        string Shared(string name) => names.TryGetValue(name, out var shared) ? shared : names[name] = name;
        Scan(record =>
        {
            prints[record.PredictionId] = ImageFingerprint.Of(record.Pixels);
            records.Add(record with { Pixels = [], ModelVersion = Shared(record.ModelVersion), Client = record.Client is { } client ? Shared(client) : null });
        });
        return CorrectionTrust.Judge(records, reviews, rules, record => prints[record.PredictionId]);
    }

    /// <summary>What the model saw for each of <paramref name="predictionIds"/> still on disk.</summary>
    public IReadOnlyDictionary<Guid, byte[]> PixelsOf(IReadOnlySet<Guid> predictionIds)
    {
        var pixels = new Dictionary<Guid, byte[]>();
        Scan(record =>
        {
            if (predictionIds.Contains(record.PredictionId)) pixels[record.PredictionId] = record.Pixels;
        });
        return pixels;
    }

    /// <summary>The latest admin verdict on each reviewed correction.</summary>
    public IReadOnlyDictionary<Guid, CorrectionReview> ReadReviews()
    {
        var reviews = new Dictionary<Guid, CorrectionReview>();
        if (!File.Exists(volume.CorrectionReviewsPath)) return reviews;
        foreach (var line in File.ReadLines(volume.CorrectionReviewsPath))
        {
            try
            {
                if (line.Length > 0 && JsonSerializer.Deserialize<CorrectionReview>(line, RegistryFiles.JsonLine) is { By: not null } review)
                    reviews[review.PredictionId] = review;
            }
            catch (JsonException)
            {
                // A line torn by a crash: the verdict was never acknowledged, so the admin has not heard it was kept.
            }
        }
        return reviews;
    }

    /// <summary>Keeps an admin's verdict on a kept correction; false when there is no such correction. A deleted one no longer counts against its client's share.</summary>
    public async Task<bool> ReviewAsync(CorrectionReview review, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            Load();
            // Appended by another process since this one read the file: read it again before saying there is none.
            if (!corrected.Contains(review.PredictionId) && Stamp(FilePath) != correctionsStamp) Reload();
            if (!corrected.Contains(review.PredictionId) || deleted.Contains(review.PredictionId)) return false;
            await AppendLineAsync(volume.CorrectionReviewsPath, JsonSerializer.SerializeToUtf8Bytes(review, RegistryFiles.JsonLine), false, cancellationToken);
            reviewsStamp = Stamp(volume.CorrectionReviewsPath);
            if (review.Verdict == CorrectionVerdict.Deleted) Forget(review.PredictionId);
            return true;
        }
        finally
        {
            gate.Release();
        }
    }

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
            return [.. latest.Where(r => !deleted.Contains(r.PredictionId))];
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
            if (corrected.Count - deleted.Count >= cap) return (CorrectionOutcome.Full, Count());
            if (perClient.GetValueOrDefault(CorrectionTrust.Client(record)) >= rules.MaxPerClient) return (CorrectionOutcome.ClientShareFull, Count());

            var ours = Stamp(FilePath) == correctionsStamp;
            await AppendLineAsync(FilePath, JsonSerializer.SerializeToUtf8Bytes(record, RegistryFiles.JsonLine), endsMidLine, cancellationToken);
            endsMidLine = false;
            // Only while the file held nothing but what this instance knows is its stamp this instance's own.
            if (ours) correctionsStamp = Stamp(FilePath);
            Keep(record);
            return (CorrectionOutcome.Recorded, Count());
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose() => gate.Dispose();

    // Flushed to disk before the caller hears "kept"; after a torn last line, the new one starts on a line of its own.
    private static async Task AppendLineAsync(string path, byte[] json, bool afterTornLine, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var line = new byte[json.Length + (afterTornLine ? 2 : 1)];
        if (afterTornLine) line[0] = (byte)'\n';
        json.CopyTo(line, afterTornLine ? 1 : 0);
        line[^1] = (byte)'\n';
        await using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        await file.WriteAsync(line, cancellationToken);
        file.Flush(flushToDisk: true);
    }

    private void Load()
    {
        if (loaded)
        {
            // Another process's deletions (the controller records admins' verdicts) free their clients' shares here too.
            if (Stamp(volume.CorrectionReviewsPath) is var stamp && stamp != reviewsStamp)
            {
                reviewsStamp = stamp;
                foreach (var review in ReadReviews().Values.Where(r => r.Verdict == CorrectionVerdict.Deleted)) Forget(review.PredictionId);
            }
            return;
        }
        loaded = true;
        correctionsStamp = Stamp(FilePath);
        reviewsStamp = Stamp(volume.CorrectionReviewsPath);
        var scan = Scan(Keep);
        foreach (var review in ReadReviews().Values.Where(r => r.Verdict == CorrectionVerdict.Deleted)) Forget(review.PredictionId);
        endsMidLine = scan.EndsMidLine;
        if (scan.Skipped > 0) logger?.LogWarning("Skipped {Skipped} unreadable line(s) of {CorrectionsPath}", scan.Skipped, FilePath);
        logger?.LogInformation("{Count} correction(s) kept in {CorrectionsPath}", corrected.Count, FilePath);
    }

    // Everything read again from the files, as at the first call.
    private void Reload()
    {
        corrected.Clear();
        Array.Clear(perLabel);
        latest.Clear();
        perClient.Clear();
        owners.Clear();
        deleted.Clear();
        loaded = false;
        Load();
    }

    private static string Stamp(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? $"{file.Length}:{file.LastWriteTimeUtc.Ticks}" : "";
    }

    // Each correction that counts, oldest first, handed over as it is read: none of them is held here. With a hash, the
    // whole file passes through it (also beyond the cap) and its length is returned.
    private (int Skipped, bool EndsMidLine, long? Bytes) Scan(Action<CorrectionRecord> each, HashAlgorithm? hash = null)
    {
        if (!File.Exists(FilePath)) return (0, false, null);
        var seen = new HashSet<Guid>();
        var skipped = 0;
        using var source = new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var hashed = hash is null ? null : new CryptoStream(source, hash, CryptoStreamMode.Read, leaveOpen: true);
        using var reader = new StreamReader((Stream?)hashed ?? source, leaveOpen: true);
        while (reader.ReadLine() is { } line)
        {
            if (seen.Count >= cap)
            {
                if (hash is null) break;
                continue;
            }
            if (line.Length == 0) continue;
            try
            {
                if (JsonSerializer.Deserialize<CorrectionRecord>(line, RegistryFiles.JsonLine) is { } record && IsValid(record))
                {
                    if (seen.Add(record.PredictionId)) each(record);
                }
                else skipped++;
            }
            catch (JsonException)
            {
                skipped++;
            }
        }
        var bytes = hash is null ? (long?)null : source.Position;
        var endsMidLine = source.Length > 0 && source.Seek(-1, SeekOrigin.End) >= 0 && source.ReadByte() != '\n';
        return (skipped, endsMidLine, bytes);
    }

    private void Keep(CorrectionRecord record)
    {
        if (!corrected.Add(record.PredictionId)) return;
        var client = CorrectionTrust.Client(record);
        perClient[client] = perClient.GetValueOrDefault(client) + 1;
        owners[record.PredictionId] = (client, record.Label);
        perLabel[record.Label]++;
        latest.Enqueue(record);
        if (latest.Count > LatestKept) latest.Dequeue();
    }

    // A deleted correction keeps its prediction id taken (it cannot be corrected again) but frees its place in the counts and shares.
    private void Forget(Guid predictionId)
    {
        if (!owners.Remove(predictionId, out var owner)) return;
        deleted.Add(predictionId);
        perClient[owner.Client]--;
        perLabel[owner.Label]--;
    }

    private CorrectionsCount Count() => new(corrected.Count - deleted.Count, [.. perLabel]);
}
