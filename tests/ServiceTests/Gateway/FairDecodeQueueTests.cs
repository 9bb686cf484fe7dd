using MnistEvents.Gateway.Predictions;

namespace MnistEvents.ServiceTests.Gateway;

/// <summary>
/// Decode slots shared fairly: no client holds them all, waiting clients take turns, and the line, measured in the
/// bytes waiting uploads hold, is bounded per client and in all, the longest line giving way to a shorter one.
/// </summary>
public class FairDecodeQueueTests
{
    private const long Small = FairDecodeQueue.MinimumCost;

    [Fact]
    public async Task AFloodingClientHoldsOneSlotSoAnotherClientsImageIsDecodedAtOnce()
    {
        var queue = new FairDecodeQueue(slots: 2, perClient: 1, perClientQueueBytes: 100 * Small, maxQueuedBytes: 100 * Small);
        var flood = await queue.AcquireAsync("flood", Small, CancellationToken.None);
        var floodWaiting = Enumerable.Range(0, 5).Select(_ => queue.AcquireAsync("flood", Small, CancellationToken.None)).ToList();

        var victim = queue.AcquireAsync("victim", Small, CancellationToken.None);

        Assert.True(victim.IsCompletedSuccessfully);
        Assert.All(floodWaiting, w => Assert.False(w.IsCompleted));
        flood.Dispose();
        await floodWaiting[0];
        Assert.All(floodWaiting.Skip(1), w => Assert.False(w.IsCompleted));
    }

    [Fact]
    public async Task WaitingClientsTakeTurnsInsteadOfFirstComeFirstServed()
    {
        var queue = new FairDecodeQueue(slots: 1, perClient: 1, perClientQueueBytes: 100 * Small, maxQueuedBytes: 100 * Small);
        var order = new List<string>();
        var first = await queue.AcquireAsync("a", Small, CancellationToken.None);
        // a's three arrive before b's three, while a holds the slot; each slot is released as soon as it is granted.
        var waiters = new[] { "a", "a", "a", "b", "b", "b" }.Select(client => Take(queue, client, order)).ToList();

        first.Dispose();
        await Task.WhenAll(waiters);

        // a has just had its turn, so b's comes first.
        Assert.Equal(["b", "a", "b", "a", "b", "a"], order);
    }

    [Fact]
    public async Task AClientsOwnLineIsBoundedInBytesAndATinyUploadStillCountsAsAMinimum()
    {
        var queue = new FairDecodeQueue(slots: 1, perClient: 1, perClientQueueBytes: 3 * Small, maxQueuedBytes: 100 * Small);
        using var held = await queue.AcquireAsync("a", Small, CancellationToken.None);
        _ = queue.AcquireAsync("a", 2 * Small, CancellationToken.None);
        _ = queue.AcquireAsync("a", 300, CancellationToken.None);

        var own = await Assert.ThrowsAsync<DecodeRefusedException>(() => queue.AcquireAsync("a", 300, CancellationToken.None));

        Assert.Equal((DecodeRefusal.ClientLineFull, 3 * Small), (own.Refusal, own.WaitingBytes));
        Assert.False(queue.AcquireAsync("b", 3 * Small, CancellationToken.None).IsFaulted);
    }

    [Fact]
    public async Task WithEveryLineFullTheLongestGivesWayForAShorterOneAndOtherwiseTheNewcomerIsRefused()
    {
        var queue = new FairDecodeQueue(slots: 1, perClient: 1, perClientQueueBytes: 100 * Small, maxQueuedBytes: 4 * Small);
        using var held = await queue.AcquireAsync("flood", Small, CancellationToken.None);
        var flood = Enumerable.Range(0, 4).Select(_ => queue.AcquireAsync("flood", Small, CancellationToken.None)).ToList();

        // The flood alone fills the line: its next upload is its own excess.
        var own = await Assert.ThrowsAsync<DecodeRefusedException>(() => queue.AcquireAsync("flood", Small, CancellationToken.None));
        var victim = queue.AcquireAsync("victim", Small, CancellationToken.None);

        Assert.Equal(DecodeRefusal.ClientLineFull, own.Refusal);
        Assert.Equal(DecodeRefusal.ClientLineFull, (await Assert.ThrowsAsync<DecodeRefusedException>(() => flood[3])).Refusal);
        Assert.False(flood.Take(3).Any(f => f.IsCompleted) || victim.IsCompleted);
        // A third client with a line as long as the victim's would be the victim's equal: the lines are simply full,
        // except the flood's is still the longest (3 to 1), so it gives way again.
        var third = queue.AcquireAsync("third", Small, CancellationToken.None);
        Assert.Equal(DecodeRefusal.ClientLineFull, (await Assert.ThrowsAsync<DecodeRefusedException>(() => flood[2])).Refusal);
        Assert.False(third.IsCompleted);
    }

    [Fact]
    public async Task WhenNoLineIsLongerThanTheNewcomersWouldBeTheGatewayIsBusy()
    {
        var queue = new FairDecodeQueue(slots: 1, perClient: 1, perClientQueueBytes: 100 * Small, maxQueuedBytes: 2 * Small);
        using var held = await queue.AcquireAsync("a", Small, CancellationToken.None);
        _ = queue.AcquireAsync("b", Small, CancellationToken.None);
        _ = queue.AcquireAsync("c", Small, CancellationToken.None);

        var busy = await Assert.ThrowsAsync<DecodeRefusedException>(() => queue.AcquireAsync("d", Small, CancellationToken.None));

        Assert.Equal(DecodeRefusal.Busy, busy.Refusal);
    }

    [Fact]
    public async Task AWaiterThatGivesUpLeavesItsPlaceToTheNext()
    {
        var queue = new FairDecodeQueue(slots: 1, perClient: 1, perClientQueueBytes: 100 * Small, maxQueuedBytes: Small);
        var held = await queue.AcquireAsync("a", Small, CancellationToken.None);
        using var giveUp = new CancellationTokenSource();
        var gaveUp = queue.AcquireAsync("b", Small, giveUp.Token);

        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gaveUp);
        var next = queue.AcquireAsync("c", Small, CancellationToken.None);
        held.Dispose();

        (await next).Dispose();
    }

    private static async Task Take(FairDecodeQueue queue, string client, List<string> order)
    {
        using var slot = await queue.AcquireAsync(client, Small, CancellationToken.None);
        lock (order) order.Add(client);
    }
}
