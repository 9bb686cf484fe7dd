using MnistEvents.Gateway.Predictions;

namespace MnistEvents.ServiceTests.Gateway;

/// <summary>Decode slots shared fairly: no client holds them all, waiting clients take turns, each client's line is bounded.</summary>
public class FairDecodeQueueTests
{
    [Fact]
    public async Task AFloodingClientHoldsOneSlotSoAnotherClientsImageIsDecodedAtOnce()
    {
        var queue = new FairDecodeQueue(slots: 2, perClient: 1, perClientQueue: 8, maxQueued: 64);
        var flood = await queue.AcquireAsync("flood", CancellationToken.None);
        var floodWaiting = Enumerable.Range(0, 5).Select(_ => queue.AcquireAsync("flood", CancellationToken.None)).ToList();

        var victim = queue.AcquireAsync("victim", CancellationToken.None);

        Assert.True(victim.IsCompletedSuccessfully);
        Assert.All(floodWaiting, w => Assert.False(w.IsCompleted));
        flood.Dispose();
        await floodWaiting[0];
        Assert.All(floodWaiting.Skip(1), w => Assert.False(w.IsCompleted));
    }

    [Fact]
    public async Task WaitingClientsTakeTurnsInsteadOfFirstComeFirstServed()
    {
        var queue = new FairDecodeQueue(slots: 1, perClient: 1, perClientQueue: 8, maxQueued: 64);
        var order = new List<string>();
        var first = await queue.AcquireAsync("a", CancellationToken.None);
        // a's three arrive before b's three, while a holds the slot; each slot is released as soon as it is granted.
        var waiters = new[] { "a", "a", "a", "b", "b", "b" }.Select(client => Take(queue, client, order)).ToList();

        first.Dispose();
        await Task.WhenAll(waiters);

        // a has just had its turn, so b's comes first.
        Assert.Equal(["b", "a", "b", "a", "b", "a"], order);
    }

    [Fact]
    public async Task AClientsOwnLineIsBoundedAndWithEveryLineFullTheLongestMakesWayForAnotherClient()
    {
        var queue = new FairDecodeQueue(slots: 1, perClient: 1, perClientQueue: 2, maxQueued: 2);
        using var held = await queue.AcquireAsync("flood", CancellationToken.None);
        var first = queue.AcquireAsync("flood", CancellationToken.None);
        var newest = queue.AcquireAsync("flood", CancellationToken.None);

        var own = await Assert.ThrowsAsync<DecodeRefusedException>(() => queue.AcquireAsync("flood", CancellationToken.None));
        var victim = queue.AcquireAsync("victim", CancellationToken.None);

        Assert.Equal((DecodeRefusal.ClientLineFull, 2), (own.Refusal, own.Waiting));
        Assert.Equal(DecodeRefusal.ClientLineFull, (await Assert.ThrowsAsync<DecodeRefusedException>(() => newest)).Refusal);
        Assert.False(first.IsCompleted || victim.IsCompleted);
        // Now no line is longer than a newcomer's would be: the lines are simply full.
        Assert.Equal(DecodeRefusal.Busy, (await Assert.ThrowsAsync<DecodeRefusedException>(() => queue.AcquireAsync("third", CancellationToken.None))).Refusal);
    }

    [Fact]
    public async Task AWaiterThatGivesUpLeavesItsPlaceToTheNext()
    {
        var queue = new FairDecodeQueue(slots: 1, perClient: 1, perClientQueue: 8, maxQueued: 1);
        var held = await queue.AcquireAsync("a", CancellationToken.None);
        using var giveUp = new CancellationTokenSource();
        var gaveUp = queue.AcquireAsync("b", giveUp.Token);

        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gaveUp);
        var next = queue.AcquireAsync("c", CancellationToken.None);
        held.Dispose();

        (await next).Dispose();
    }

    private static async Task Take(FairDecodeQueue queue, string client, List<string> order)
    {
        using var slot = await queue.AcquireAsync(client, CancellationToken.None);
        lock (order) order.Add(client);
    }
}
