namespace MnistEvents.Gateway.Predictions;

/// <summary>
/// Who decodes next, fairly among clients: at most <c>slots</c> decodes at once, at most <c>perClient</c> of them one
/// client's, so a client flooding big images can never hold every slot and another client's image is decoded as soon
/// as a slot frees, in turn (round-robin over the clients waiting, not first come first served). A waiting upload
/// holds its bytes, so lines are measured in bytes (each upload at least <see cref="MinimumCost"/>, which also bounds
/// how many can wait): one client's line at most <c>perClientQueueBytes</c> (beyond it:
/// <see cref="DecodeRefusal.ClientLineFull"/>), all lines together at most <c>maxQueuedBytes</c>. When they are full,
/// the longest line's newest uploads make way for a client whose line is shorter (they too are
/// <see cref="DecodeRefusal.ClientLineFull"/>); when no line is longer, the newcomer is refused: as
/// <see cref="DecodeRefusal.ClientLineFull"/> if it has the longest line, else <see cref="DecodeRefusal.Busy"/>.
/// Lines exist only while a client has an upload waiting or decoding, so memory follows what is in flight, not how
/// many clients came.
/// </summary>
public sealed class FairDecodeQueue(int slots, int perClient, long perClientQueueBytes, long maxQueuedBytes)
{
    /// <summary>What the smallest upload counts for in a line: a 300-byte PNG still costs a request's worth of memory.</summary>
    public const long MinimumCost = 16 * 1024;

    private readonly Lock gate = new();
    private readonly Dictionary<string, Line> lines = [];
    // Clients with an image waiting and room to decode it, in turn order.
    private readonly LinkedList<Line> turns = new();
    private int running;
    private long waiting;

    /// <summary>A slot for one of <paramref name="client"/>'s uploads (<paramref name="bytes"/> long), once it is its turn; dispose it when decoded.</summary>
    public async Task<IDisposable> AcquireAsync(string client, long bytes, CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (gate)
        {
            if (!lines.TryGetValue(client, out var line)) lines[client] = line = new Line(client);
            if (running < slots && line.Running < perClient && line.Waiting.Count == 0) return Grant(line);
            var cost = Math.Max(bytes, MinimumCost);
            if (line.Cost + cost > perClientQueueBytes) throw Refuse(line, DecodeRefusal.ClientLineFull);
            // All lines full and none longer than this client's would be: its own excess if it has the longest line, else
            // (nothing of its own waiting, or others' lines longer) the gateway's.
            if (waiting + cost > maxQueuedBytes && !MakeRoom(line, cost))
                throw Refuse(line, line.Cost > 0 && lines.Values.All(l => l.Cost <= line.Cost) ? DecodeRefusal.ClientLineFull : DecodeRefusal.Busy);
            waiter = new Waiter(line, cost);
            waiter.Node = line.Waiting.AddLast(waiter);
            line.Cost += cost;
            waiting += cost;
            if (line.Turn is null && line.Running < perClient) line.Turn = turns.AddLast(line);
        }
        await using (cancellationToken.Register(() => Cancel(waiter)))
            return await waiter.Granted.Task;
    }

    // All lines full: while the longest line is longer than the newcomer's would be, it gives up its newest upload
    // (longest-queue drop), so a flood fills the lines only until someone else needs a place. Nothing is given up unless
    // enough can be to make room.
    private bool MakeRoom(Line newcomer, long cost)
    {
        var needed = waiting + cost - maxQueuedBytes;
        var freeable = lines.Values.Where(l => l != newcomer).Sum(l => Math.Max(0, l.Cost - (newcomer.Cost + cost)));
        if (freeable < needed) return false;
        while (waiting + cost > maxQueuedBytes)
        {
            var longest = lines.Values.MaxBy(l => l.Cost)!;
            var evicted = longest.Waiting.Last!.Value;
            longest.Waiting.RemoveLast();
            longest.Cost -= evicted.Cost;
            waiting -= evicted.Cost;
            if (longest.Waiting.Count == 0 && longest.Turn is { } turn)
            {
                turns.Remove(turn);
                longest.Turn = null;
            }
            evicted.Granted.TrySetException(new DecodeRefusedException(DecodeRefusal.ClientLineFull, longest.Cost));
            Forget(longest);
        }
        return true;
    }

    private IDisposable Grant(Line line)
    {
        running++;
        line.Running++;
        return new Slot(this, line);
    }

    private void Release(Line line)
    {
        lock (gate)
        {
            running--;
            line.Running--;
            if (line.Waiting.Count > 0 && line.Turn is null) line.Turn = turns.AddLast(line);
            Dispatch();
            Forget(line);
        }
    }

    private void Dispatch()
    {
        while (running < slots && turns.First is { } next)
        {
            var line = next.Value;
            turns.RemoveFirst();
            line.Turn = null;
            var waiter = line.Waiting.First!.Value;
            line.Waiting.RemoveFirst();
            line.Cost -= waiter.Cost;
            waiting -= waiter.Cost;
            waiter.Granted.TrySetResult(Grant(line));
            if (line.Waiting.Count > 0 && line.Running < perClient) line.Turn = turns.AddLast(line);
        }
    }

    private void Cancel(Waiter waiter)
    {
        lock (gate)
        {
            // Granted already: the slot is the caller's to dispose, whose await sees the result first.
            if (waiter.Node?.List is null) return;
            var line = waiter.Line;
            line.Waiting.Remove(waiter.Node);
            line.Cost -= waiter.Cost;
            waiting -= waiter.Cost;
            if (line.Waiting.Count == 0 && line.Turn is { } turn)
            {
                turns.Remove(turn);
                line.Turn = null;
            }
            Forget(line);
            waiter.Granted.TrySetCanceled();
        }
    }

    private Exception Refuse(Line line, DecodeRefusal refusal)
    {
        Forget(line);
        return new DecodeRefusedException(refusal, line.Cost);
    }

    private void Forget(Line line)
    {
        if (line.Running == 0 && line.Waiting.Count == 0) lines.Remove(line.Client);
    }

    private sealed class Line(string client)
    {
        public string Client { get; } = client;
        public LinkedList<Waiter> Waiting { get; } = new();
        public LinkedListNode<Line>? Turn { get; set; }
        public int Running { get; set; }
        // Bytes waiting in this line.
        public long Cost { get; set; }
    }

    private sealed class Waiter(Line line, long cost)
    {
        public Line Line { get; } = line;
        public long Cost { get; } = cost;
        public LinkedListNode<Waiter>? Node { get; set; }
        public TaskCompletionSource<IDisposable> Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Slot(FairDecodeQueue queue, Line line) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0) queue.Release(line);
        }
    }
}
