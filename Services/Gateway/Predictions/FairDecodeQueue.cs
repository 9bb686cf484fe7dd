namespace MnistEvents.Gateway.Predictions;

/// <summary>
/// Who decodes next, fairly among clients: at most <c>slots</c> decodes at once, at most <c>perClient</c> of them one
/// client's, so a client flooding big images can never hold every slot and another client's image is decoded as soon
/// as a slot frees, in turn (round-robin over the clients waiting, not first come first served). Each client has a
/// line of at most <c>perClientQueue</c> waiting images (beyond it: <see cref="DecodeRefusal.ClientLineFull"/>), all
/// lines together at most <c>maxQueued</c>: when they are full, the longest line's newest image makes way for a client
/// with a shorter one (it too is <see cref="DecodeRefusal.ClientLineFull"/>); when no line is longer, the newcomer is
/// refused: as <see cref="DecodeRefusal.ClientLineFull"/> if its own line is the longest, else <see cref="DecodeRefusal.Busy"/>. Lines exist only while a client has an
/// image waiting or decoding, so memory follows what is in flight, not how many clients came.
/// </summary>
public sealed class FairDecodeQueue(int slots, int perClient, int perClientQueue, int maxQueued)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, Line> lines = [];
    // Clients with an image waiting and room to decode it, in turn order.
    private readonly LinkedList<Line> turns = new();
    private int running;
    private int waiting;

    /// <summary>A slot for one of <paramref name="client"/>'s images, once it is its turn; dispose it when decoded.</summary>
    public async Task<IDisposable> AcquireAsync(string client, CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (gate)
        {
            if (!lines.TryGetValue(client, out var line)) lines[client] = line = new Line(client);
            if (running < slots && line.Running < perClient && line.Waiting.Count == 0) return Grant(line);
            if (line.Waiting.Count >= perClientQueue) throw Refuse(line, DecodeRefusal.ClientLineFull);
            // All lines full and none longer than this client's would be: its own excess if its line is the longest, else the gateway's.
            if (waiting >= maxQueued && !EvictFromLongestLine(line))
                throw Refuse(line, lines.Values.All(l => l.Waiting.Count <= line.Waiting.Count) ? DecodeRefusal.ClientLineFull : DecodeRefusal.Busy);
            waiter = new Waiter(line);
            waiter.Node = line.Waiting.AddLast(waiter);
            waiting++;
            if (line.Turn is null && line.Running < perClient) line.Turn = turns.AddLast(line);
        }
        await using (cancellationToken.Register(() => Cancel(waiter)))
            return await waiter.Granted.Task;
    }

    // All lines full: the client with the longest line, if it is longer than this one's would be, gives up its newest
    // waiter for this one (longest-queue drop), so a flood fills the lines only until someone else needs a place.
    private bool EvictFromLongestLine(Line newcomer)
    {
        var longest = lines.Values.MaxBy(l => l.Waiting.Count)!;
        if (longest.Waiting.Count <= newcomer.Waiting.Count + 1) return false;
        var evicted = longest.Waiting.Last!.Value;
        longest.Waiting.RemoveLast();
        waiting--;
        evicted.Granted.TrySetException(new DecodeRefusedException(DecodeRefusal.ClientLineFull, longest.Waiting.Count));
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
            waiting--;
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
            waiting--;
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
        return new DecodeRefusedException(refusal, line.Waiting.Count);
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
    }

    private sealed class Waiter(Line line)
    {
        public Line Line { get; } = line;
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
