using System.Diagnostics;
using System.Threading.Channels;
using MassTransit;
using Microsoft.Extensions.Options;
using MnistEvents.Contracts;
using MnistEvents.Gateway.Problems;
using MnistEvents.ServiceDefaults.Bus;

namespace MnistEvents.Gateway.Predictions;

/// <summary>
/// Folds concurrent predictions into <see cref="PredictDigitBatch"/> messages: one broker round trip and one forward
/// pass for many HTTP requests. There is no waiting to fill a batch: a request goes out at once when a send slot is
/// free, and whatever queued up while every slot was busy goes out together in the next message.
/// <para>
/// Overload is refused, not absorbed: the line is bounded (<see cref="GatewayOptions.MaxQueuedPredictions"/>, then
/// 503 at once), every request has a deadline from its arrival (<see cref="GatewayOptions.PredictionTimeoutSeconds"/>),
/// a request whose caller has gone or whose deadline has passed is never sent, and a batch is sent with the time its
/// most urgent request has left as both its timeout and its time-to-live, so a broker drops what nobody awaits.
/// </para>
/// </summary>
public sealed class PredictionCoalescer : BackgroundService
{
    private static readonly ActivitySource Tracing = new(ServiceDefaults.Extensions.TelemetryPrefix + ".Gateway");

    private readonly Channel<Pending> queue;
    private readonly IRequestClient<PredictDigitBatch> client;
    private readonly GatewayOptions options;
    private readonly TimeProvider time;
    private readonly SemaphoreSlim slots;

    public PredictionCoalescer(IBus bus, IOptions<GatewayOptions> options, TimeProvider time)
    {
        this.options = options.Value;
        this.time = time;
        queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(this.options.MaxQueuedPredictions) { SingleReader = true });
        client = bus.CreateRequestClient<PredictDigitBatch>(QueueNames.Address(QueueNames.PredictDigitBatch));
        slots = new SemaphoreSlim(this.options.CoalescerMaxInFlight);
    }

    /// <summary>The prediction for one image that arrived at <paramref name="arrived"/>; abandoned when <paramref name="cancellationToken"/> fires (the caller went away).</summary>
    public Task<DigitPredicted> PredictAsync(byte[] pixels, DateTimeOffset arrived, CancellationToken cancellationToken)
    {
        var pending = new Pending(NewId.NextGuid(), pixels, arrived + TimeSpan.FromSeconds(options.PredictionTimeoutSeconds), cancellationToken,
            Activity.Current?.Context ?? default, new TaskCompletionSource<DigitPredicted>(TaskCreationOptions.RunContinuationsAsynchronously));
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
                await slots.WaitAsync(stoppingToken);
                var batch = new List<Pending>(Math.Min(max, 64));
                var now = time.GetUtcNow();
                while (batch.Count < max && reader.TryRead(out var pending))
                {
                    if (pending.Caller.IsCancellationRequested) pending.Answer.TrySetCanceled(pending.Caller);
                    else if (pending.Deadline <= now) pending.Answer.TrySetException(Late(pending, now));
                    else batch.Add(pending);
                }
                if (batch.Count == 0) slots.Release();
                else _ = SendAsync(batch, batch.Min(p => p.Deadline) - now);
            }
        }
        catch (OperationCanceledException)
        {
        }
        while (reader.TryRead(out var left)) left.Answer.TrySetCanceled(stoppingToken);
    }

    private async Task SendAsync(List<Pending> batch, TimeSpan timeLeft)
    {
        // The batch continues the first request's trace and links the others', so each HTTP request's trace reaches the predictor.
        using var activity = Tracing.StartActivity("coalesce predictions", ActivityKind.Internal, batch[0].Trace,
            links: batch.Skip(1).Where(p => p.Trace != default).Select(p => new ActivityLink(p.Trace)));
        activity?.SetTag("mnist.batch.size", batch.Count);
        try
        {
            var pixels = new byte[batch.Count * batch[0].Pixels.Length];
            for (var i = 0; i < batch.Count; i++) batch[i].Pixels.CopyTo(pixels, i * batch[0].Pixels.Length);
            // The request client makes the timeout the message's time-to-live too.
            var response = await client.GetResponse<DigitBatchPredicted>(
                new PredictDigitBatch(NewId.NextGuid(), batch.Select(p => p.RequestId).ToArray(), pixels, time.GetUtcNow()),
                timeout: RequestTimeout.After(ms: Math.Max(1, (int)Math.Ceiling(timeLeft.TotalMilliseconds))));
            var answers = response.Message.Predictions.ToDictionary(p => p.RequestId);
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
        finally
        {
            slots.Release();
        }
    }

    private ProblemException Late(Pending pending, DateTimeOffset now) =>
        new(StatusCodes.Status503ServiceUnavailable, "No predictor available",
            $"The request waited {(now - pending.Deadline).TotalSeconds + options.PredictionTimeoutSeconds:0.#} s for a free predictor and was not sent; "
            + $"the limit is {options.PredictionTimeoutSeconds:0.#} s. Try again shortly.")
        {
            RetryAfterSeconds = 5,
        };

    private sealed record Pending(Guid RequestId, byte[] Pixels, DateTimeOffset Deadline, CancellationToken Caller,
        ActivityContext Trace, TaskCompletionSource<DigitPredicted> Answer);
}
