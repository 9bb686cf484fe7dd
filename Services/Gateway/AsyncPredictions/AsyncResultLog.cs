using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MnistEvents.Contracts;
using MnistEvents.Registry;
using MnistEvents.ServiceDefaults;

namespace MnistEvents.Gateway.AsyncPredictions;

/// <summary>
/// The durable side of async predictions: append-only JSON-lines segments in <see cref="ModelVolume.AsyncResultsDirectory"/>,
/// one writer per segment (this instance writes only its own), a new segment every minute, whole segments deleted once
/// past the retention. A submission is one append however many images it has, and so is a batch of results: one file
/// per prediction, written twice and renamed, cost the gateway half its CPU on the async path (bench/async, perf).
/// <para>
/// Any instance answers for any prediction: an id not in this instance's index is looked for in what the other
/// segments gained since they were last read (only the new bytes, up to the last complete line), so a restarted
/// gateway, or a second one on the same volume, finds what another accepted and recorded.
/// </para>
/// </summary>
public sealed class AsyncResultLog(ModelVolume volume, TimeProvider time, ILogger<AsyncResultLog> logger) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan SegmentSpan = TimeSpan.FromMinutes(1);

    private readonly Lock gate = new();
    private readonly Dictionary<Guid, Entry> index = [];
    private readonly Dictionary<string, int> perClient = [];
    private readonly Dictionary<string, long> readUpTo = [];
    // A restarted instance with the same name must not append to its predecessor's segment.
    private readonly string instance = $"{ReplicaIdentity.Current}-{Guid.NewGuid().ToString("N")[..8]}";
    private FileStream? segment;
    private DateTimeOffset segmentStarted;

    private string Directory => volume.AsyncResultsDirectory;

    /// <summary>How many accepted predictions this instance knows of within the retention (its own, and others' it has read).</summary>
    public int Count
    {
        get
        {
            lock (gate) return index.Count;
        }
    }

    /// <summary>How many of the accepted predictions this instance knows of were submitted by <paramref name="client"/>.</summary>
    public int CountFor(string client)
    {
        lock (gate) return perClient.GetValueOrDefault(client);
    }

    /// <summary>Keeps newly accepted predictions of <paramref name="client"/>, in one append.</summary>
    public void Accepted(IReadOnlyCollection<AsyncPrediction> predictions, string client) =>
        Append(predictions.Select(p => new Record(p.Id, p.Pixels, p.AcceptedAt, null, p.Warnings.Count > 0 ? p.Warnings : null, client)).ToList());

    /// <summary>Keeps results, in one append; only for predictions kept here (see <see cref="Read"/>).</summary>
    public void Recorded(IReadOnlyCollection<DigitPredicted> results) =>
        Append(results.Select(r => new Record(r.RequestId, null, null, r, null)).ToList());

    /// <summary>The kept prediction, or null when there is none (never accepted, swept, or unreadable).</summary>
    public AsyncPrediction? Read(Guid id)
    {
        lock (gate)
        {
            // Unknown here, or known without a result: another instance may have written more since.
            if (!index.TryGetValue(id, out var entry) || entry.Result is null)
            {
                CatchUp();
                if (!index.TryGetValue(id, out entry)) return null;
            }
            if (entry.Accepted is not { } accepted) return null;
            var first = ReadRecord(accepted);
            if (first?.Pixels is null || first.AcceptedAt is not { } acceptedAt || time.GetUtcNow() - acceptedAt > AsyncPredictionStore.Retention) return null;
            var result = entry.Result is { } at ? ReadRecord(at)?.Result : null;
            return new AsyncPrediction(id, null, first.Pixels, first.Warnings ?? [], acceptedAt, result);
        }
    }

    /// <summary>Deletes segments last written before the retention, and forgets what they held; returns how many predictions are left.</summary>
    public int Sweep()
    {
        lock (gate)
        {
            if (!System.IO.Directory.Exists(Directory)) return index.Count;
            var oldest = time.GetUtcNow().UtcDateTime - AsyncPredictionStore.Retention;
            var gone = new HashSet<string>();
            foreach (var file in new DirectoryInfo(Directory).EnumerateFiles("*.jsonl"))
            {
                if (file.LastWriteTimeUtc >= oldest || file.FullName == segment?.Name) continue;
                file.Delete();
                gone.Add(file.FullName);
                readUpTo.Remove(file.FullName);
            }
            if (gone.Count > 0)
            {
                foreach (var (id, entry) in index.ToList())
                {
                    if ((entry.Accepted ?? entry.Result) is not { } first || !gone.Contains(first.Segment)) continue;
                    index.Remove(id);
                    if (entry.Client is { } client && --perClient[client] == 0) perClient.Remove(client);
                }
            }
            return index.Count;
        }
    }

    private void Append(List<Record> records)
    {
        if (records.Count == 0) return;
        var lines = records.Select(r => JsonSerializer.SerializeToUtf8Bytes(r, Json)).ToList();
        lock (gate)
        {
            var file = Segment();
            for (var i = 0; i < records.Count; i++)
            {
                Index(records[i], new Position(file.Name, file.Position));
                file.Write(lines[i]);
                file.WriteByte((byte)'\n');
            }
            // Into the kernel before the caller acknowledges: a killed gateway loses nothing it answered 202 for.
            file.Flush();
            readUpTo[file.Name] = file.Position;
        }
    }

    private FileStream Segment()
    {
        var now = time.GetUtcNow();
        if (segment is not null && now - segmentStarted < SegmentSpan) return segment;
        segment?.Dispose();
        System.IO.Directory.CreateDirectory(Directory);
        segmentStarted = now;
        segment = new FileStream(Path.Combine(Directory, $"{now:yyyyMMddHHmmss}-{instance}.jsonl"), FileMode.Append, FileAccess.Write, FileShare.Read | FileShare.Delete);
        return segment;
    }

    /// <summary>Indexes what other writers appended since their segments were last read, up to each one's last complete line.</summary>
    private void CatchUp()
    {
        if (!System.IO.Directory.Exists(Directory)) return;
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, "*.jsonl"))
        {
            if (path == segment?.Name) continue;
            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                var from = readUpTo.GetValueOrDefault(path);
                if (stream.Length <= from) continue;
                stream.Position = from;
                readUpTo[path] = from + IndexLines(stream, path, from);
            }
            catch (IOException e)
            {
                logger.LogWarning("Async results segment {Segment} cannot be read: {Reason}", Path.GetFileName(path), e.Message);
            }
        }
    }

    // A chunk at a time: a minute's segment can hold tens of MB, and read whole it was that much more gateway memory.
    // Returns how many bytes were complete lines, the rest being a line its writer has not finished.
    private long IndexLines(FileStream stream, string path, long from)
    {
        var buffer = new byte[64 * 1024];
        var held = 0;
        long consumed = 0;
        while (true)
        {
            if (held == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
            var read = stream.Read(buffer, held, buffer.Length - held);
            if (read == 0) return consumed;
            held += read;
            var start = 0;
            for (var end = Array.IndexOf(buffer, (byte)'\n', 0, held); end >= 0; end = Array.IndexOf(buffer, (byte)'\n', start, held - start))
            {
                if (Parse(buffer.AsSpan(start, end - start)) is { } record) Index(record, new Position(path, from + consumed));
                consumed += end - start + 1;
                start = end + 1;
            }
            buffer.AsSpan(start, held - start).CopyTo(buffer);
            held -= start;
        }
    }

    private void Index(Record record, Position at)
    {
        var entry = index.GetValueOrDefault(record.Id);
        if (record.Result is not null)
        {
            index[record.Id] = entry with { Result = at };
            return;
        }
        var client = entry.Client ?? record.Client;
        if (entry.Client is null && client is not null) perClient[client] = perClient.GetValueOrDefault(client) + 1;
        index[record.Id] = entry with { Accepted = at, Client = client };
    }

    private Record? ReadRecord(Position at)
    {
        try
        {
            using var stream = new FileStream(at.Segment, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            stream.Position = at.Offset;
            var line = new MemoryStream();
            for (int b; (b = stream.ReadByte()) is >= 0 and not '\n';) line.WriteByte((byte)b);
            return Parse(line.GetBuffer().AsSpan(0, (int)line.Length));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private Record? Parse(ReadOnlySpan<byte> line)
    {
        try
        {
            return JsonSerializer.Deserialize<Record>(line, Json);
        }
        catch (JsonException e)
        {
            logger.LogWarning("An async results record cannot be read back: {Reason} ({Line})", e.Message, Encoding.UTF8.GetString(line[..Math.Min(line.Length, 80)]));
            return null;
        }
    }

    public void Dispose()
    {
        lock (gate) segment?.Dispose();
    }

    // Warnings are left out when there are none, and records written before they (or the client) existed read as having none.
    private sealed record Record(Guid Id, byte[]? Pixels, DateTimeOffset? AcceptedAt, DigitPredicted? Result,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Warnings,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Client = null);

    private readonly record struct Position(string Segment, long Offset);

    private readonly record struct Entry(Position? Accepted, Position? Result, string? Client);
}
