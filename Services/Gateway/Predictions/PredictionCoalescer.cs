using System.Diagnostics;
using System.Threading.Channels;
using MassTransit;
using Microsoft.Extensions.Options;
using MnistEvents.Contracts;
using MnistEvents.Gateway.AsyncPredictions;
using MnistEvents.Gateway.Problems;
using MnistEvents.Gateway.Replicas;
using MnistEvents.ServiceDefaults.Bus;

namespace MnistEvents.Gateway.Predictions;

/// <summary>
/// The one way predictions leave the gateway: whatever arrives together, synchronous or async, is folded into
/// <see cref="PredictDigitBatch"/> messages, one broker round trip and one forward pass for many digits. There is no
/// waiting to fill a batch: a prediction goes out at once when a send slot is free, and whatever queued up while every
/// slot was busy goes out together in the next message (synchronous ones as a request, async ones as a command whose
/// answers are published for the durable results queue).
/// <para>
/// Overload is refused, not absorbed: the line is bounded (<see cref="GatewayOptions.MaxQueuedPredictions"/>, then
/// 503 at once), every prediction has a deadline from its arrival (<see cref="GatewayOptions.PredictionTimeoutSeconds"/>:
/// to be answered, or for an async one to be handed to the broker), a prediction whose caller has gone or whose
/// deadline has passed is never sent, and a synchronous batch is sent with the time its most urgent request has left as
/// both its timeout and its time-to-live, so a broker drops what nobody awaits.
/// </para>
/// <para>
/// No more batches are in flight than the live replicas run at once (<see cref="ReplicaRegistry.BatchSlots"/>: replicas
/// sharing a machine's cores count no more than its cores; at most <see cref="GatewayOptions.CoalescerMaxInFlight"/>; that
/// many while no replica is known): what waits here joins the next batch, what waits in the broker or for a core cannot.
/// </para>
/// </summary>
public sealed class PredictionCoalescer : BackgroundService
{
    private static readonly ActivitySource Tracing = new(ServiceDefaults.Extensions.TelemetryPrefix + ".Gateway");

    private readonly Channel<Pending> queue;
    private readonly Lock draining = new();
    private readonly IBus bus;
    private readonly IRequestClient<PredictDigitBatch> client;
    private readonly GatewayOptions options;
    private readonly TimeProvider time;
    private readonly ReplicaRegistry replicas;
    // Signalled when a batch is answered; a replica that appears while every slot is busy is noticed within SlotRecheck.
    private readonly SemaphoreSlim batchDone = new(0);
    private int inFlight;

    private static readonly TimeSpan SlotRecheck = TimeSpan.FromSeconds(1);

    public PredictionCoalescer(IBus bus, IOptions<GatewayOptions> options, TimeProvider time, ReplicaRegistry replicas)
    {
        this.bus = bus;
        this.options = options.Value;
        this.time = time;
        this.replicas = replicas;
        queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(this.options.MaxQueuedPredictions) { SingleReader = true });
        client = bus.CreateRequestClient<PredictDigitBatch>(QueueNames.Address(QueueNames.PredictDigitBatch));
    }

    /// <summary>The most batches awaiting an answer at once now: what the live replicas run at once, at most <see cref="GatewayOptions.CoalescerMaxInFlight"/>.</summary>
    public int InFlightLimit => replicas.BatchSlots() is > 0 and var slots ? Math.Min(slots, options.CoalescerMaxInFlight) : options.CoalescerMaxInFlight;

    /// <summary>The prediction for one image that arrived at <paramref name="arrived"/>; abandoned when <paramref name="cancellationToken"/> fires (the caller went away).</summary>
    public Task<DigitPredicted> PredictAsync(byte[] pixels, DateTimeOffset arrived, CancellationToken cancellationToken) =>
        Enqueue(NewId.NextGuid(), pixels, null, arrived, isAsync: false, cancellationToken)!;

    /// <summary>
    /// The predictions for one request's digits (784 bytes each, end to end in <paramref name="pixels"/>), queued
    /// together so they travel in as few batches as the batch limit allows; <paramref name="version"/> names a kept
    /// version to run instead of the served one. All or none are queued: with no room for every digit, none is.
    /// </summary>
    public async Task<DigitPredicted[]> PredictAllAsync(ReadOnlyMemory<byte> pixels, int count, string? version, DateTimeOffset arrived,
        CancellationToken cancellationToken)
    {
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var size = pixels.Length / count;
        var answers = new Task<DigitPredicted?>[count];
        lock (draining)
        {
            for (var i = 0; i < count; i++)
            {
                try
                {
                    answers[i] = Enqueue(NewId.NextGuid(), pixels.Slice(i * size, size), version, arrived, isAsync: false, abandon.Token);
                }
                catch (ProblemException)
                {
                    // Those already queued are dropped unsent when the dispatcher meets their cancelled token.
                    abandon.Cancel();
                    throw;
                }
            }
        }
        try
        {
            return (await Task.WhenAll(answers))!;
        }
        finally
        {
            // One digit failed (or the caller left): the others are not worth a forward pass.
            abandon.Cancel();
        }
    }

    /// <summary>
    /// Hands an async prediction to the broker: completes once the batch carrying it is sent (so an accepted prediction
    /// survives this gateway), and its answer arrives later as a published <see cref="DigitBatchPredicted"/>.
    /// </summary>
    public Task SubmitAsync(Guid requestId, ReadOnlyMemory<byte> pixels, DateTimeOffset arrived, CancellationToken cancellationToken, string? version = null) =>
        Enqueue(requestId, pixels, version, arrived, isAsync: true, cancellationToken);

    /// <summary>
    /// <see cref="SubmitAsync"/> for a submission's digits at once: queued together, so the dispatcher never takes the
    /// first alone while the rest are still being queued. One task per digit; a digit the queue had no room for fails.
    /// <paramref name="version"/> names a kept version to run instead of the served one.
    /// </summary>
    public IReadOnlyList<Task> SubmitAll(IReadOnlyList<(Guid Id, ReadOnlyMemory<byte> Pixels)> digits, DateTimeOffset arrived, CancellationToken cancellationToken,
        string? version = null)
    {
        lock (draining)
        {
            return digits.Select(d =>
            {
                try
                {
                    return SubmitAsync(d.Id, d.Pixels, arrived, cancellationToken, version);
                }
                catch (ProblemException e)
                {
                    return Task.FromException(e);
                }
            }).ToArray();
        }
    }

    private Task<DigitPredicted?> Enqueue(Guid requestId, ReadOnlyMemory<byte> pixels, string? version, DateTimeOffset arrived, bool isAsync,
        CancellationToken cancellationToken)
    {
        var pending = new Pending(requestId, pixels, version, isAsync, arrived + TimeSpan.FromSeconds(options.PredictionTimeoutSeconds), cancellationToken,
            Activity.Current?.Context ?? default, new TaskCompletionSource<DigitPredicted?>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!queue.Writer.TryWrite(pending))
        {
            throw new ProblemException(StatusCodes.Status503ServiceUnavailable, "Gateway busy",
                $"{options.MaxQueuedPredictions:N0} predictions are already waiting for a predictor; this one was not accepted. Try again shortly.")
            {
                RetryAfterSeconds = 1,
            };
        }
        // Never a wait past the deadline, even while every send slot is held by a slow batch.
        return pending.Answer.Task.WaitAsync(pending.Deadline - time.GetUtcNow() is { Ticks: > 0 } left ? left : TimeSpan.Zero, time, cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = queue.Reader;
        var max = options.CoalescerMaxBatch;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                while (Volatile.Read(ref inFlight) >= InFlightLimit) await batchDone.WaitAsync(SlotRecheck, stoppingToken);
                Interlocked.Increment(ref inFlight);
                var requests = new List<Pending>();
                var commands = new List<Pending>();
                var now = time.GetUtcNow();
                lock (draining)
                {
                    while (requests.Count + commands.Count < max && reader.TryRead(out var pending))
                    {
                        if (pending.Caller.IsCancellationRequested) pending.Answer.TrySetCanceled(pending.Caller);
                        else if (pending.Deadline <= now) pending.Answer.TrySetException(Late(pending, now));
                        else (pending.IsAsync ? commands : requests).Add(pending);
                    }
                }
                if (requests.Count + commands.Count == 0) Interlocked.Decrement(ref inFlight);
                else _ = DispatchAsync(requests, commands, now);
            }
        }
        catch (OperationCanceledException)
        {
        }
        while (reader.TryRead(out var left)) left.Answer.TrySetCanceled(stoppingToken);
    }

    private async Task DispatchAsync(List<Pending> requests, List<Pending> commands, DateTimeOffset now)
    {
        try
        {
            // A message runs one model: digits for a named kept version travel apart from those for the served one.
            await Task.WhenAll(
                requests.GroupBy(p => p.Version).Select(g => RequestAsync([.. g], g.Min(p => p.Deadline) - now)).Concat(
                commands.GroupBy(p => p.Version).Select(g => SendAsync([.. g], g.Min(p => p.Deadline) - now))));
        }
        finally
        {
            Interlocked.Decrement(ref inFlight);
            // At most a few signals pending whatever the traffic: the dispatcher re-checks the count after each.
            if (batchDone.CurrentCount == 0) batchDone.Release();
        }
    }

    private async Task RequestAsync(List<Pending> batch, TimeSpan timeLeft)
    {
        using var activity = Trace(batch);
        try
        {
            // The request client makes the timeout the message's time-to-live too. Not written to the broker's disk: a
            // caller waits seconds at most, and its answer could only come back to this gateway's own reply queue, which
            // does not outlive a broker restart either; so a restart ends the wait in a 503 either way. Written, every
            // batch cost the broker a disk write and a delete (measured by bench/oip). Async commands stay durable.
            var response = await client.GetResponse<DigitBatchPredicted, PredictionRejected>(Batch(batch),
                request => request.UseExecute(context => context.Durable = false),
                timeout: RequestTimeout.After(ms: Math.Max(1, (int)Math.Ceiling(timeLeft.TotalMilliseconds))));
            if (!response.Is(out Response<DigitBatchPredicted>? predicted))
            {
                var reason = response.Is(out Response<PredictionRejected>? rejected) ? rejected.Message.Reason : "no reason given";
                throw new ProblemException(StatusCodes.Status503ServiceUnavailable, "Prediction refused",
                    $"A predictor refused the batch this image travelled in ({reason}); it was not classified. Try again shortly.");
            }
            var answers = predicted.Message.Predictions().ToDictionary(p => p.RequestId);
            foreach (var pending in batch)
            {
                if (answers.TryGetValue(pending.RequestId, out var answer)) pending.Answer.TrySetResult(answer);
                else pending.Answer.TrySetException(new InvalidOperationException($"the predictor's answer left out request {pending.RequestId}"));
            }
        }
        catch (Exception e)
        {
            foreach (var pending in batch) pending.Answer.TrySetException(e);
        }
    }

    private async Task SendAsync(List<Pending> batch, TimeSpan timeLeft)
    {
        using var activity = Trace(batch);
        try
        {
            using var deadline = new CancellationTokenSource(timeLeft, time);
            var endpoint = await bus.GetSendEndpoint(QueueNames.Address(QueueNames.PredictDigitBatch));
            // An answer nobody can fetch any more is not worth computing: the broker drops it unsent.
            await endpoint.Send(Batch(batch), context => context.TimeToLive = AsyncPredictionStore.Retention, deadline.Token);
            foreach (var pending in batch) pending.Answer.TrySetResult(null);
        }
        catch (Exception e)
        {
            foreach (var pending in batch) pending.Answer.TrySetException(e);
        }
    }

    private PredictDigitBatch Batch(List<Pending> batch)
    {
        var size = batch[0].Pixels.Length;
        var pixels = new byte[batch.Count * size];
        for (var i = 0; i < batch.Count; i++) batch[i].Pixels.Span.CopyTo(pixels.AsSpan(i * size));
        return new PredictDigitBatch(NewId.NextGuid(), batch.Select(p => p.RequestId).ToArray(), pixels, time.GetUtcNow(), batch[0].Version);
    }

    // The batch continues the first prediction's trace and links the others', so each HTTP request's trace reaches the predictor.
    private static Activity? Trace(List<Pending> batch)
    {
        var activity = Tracing.StartActivity("coalesce predictions", ActivityKind.Internal, batch[0].Trace,
            links: batch.Skip(1).Where(p => p.Trace != default).Select(p => new ActivityLink(p.Trace)));
        activity?.SetTag("mnist.batch.size", batch.Count);
        return activity;
    }

    private ProblemException Late(Pending pending, DateTimeOffset now) =>
        new(StatusCodes.Status503ServiceUnavailable, "No predictor available",
            $"The request waited {(now - pending.Deadline).TotalSeconds + options.PredictionTimeoutSeconds:0.#} s for a free predictor and was not sent; "
            + $"the limit is {options.PredictionTimeoutSeconds:0.#} s. Try again shortly.")
        {
            RetryAfterSeconds = 5,
        };

    private sealed record Pending(Guid RequestId, ReadOnlyMemory<byte> Pixels, string? Version, bool IsAsync, DateTimeOffset Deadline, CancellationToken Caller,
        ActivityContext Trace, TaskCompletionSource<DigitPredicted?> Answer);
}
