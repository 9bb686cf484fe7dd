using System.Diagnostics;
using System.Threading.Channels;
using MassTransit;
using Microsoft.Extensions.Options;
using MnistEvents.Contracts;
using MnistEvents.ServiceDefaults.Bus;

namespace MnistEvents.Gateway.Predictions;

/// <summary>
/// Folds concurrent predictions into <see cref="PredictDigitBatch"/> messages: one broker round trip and one forward
/// pass for many HTTP requests. There is no waiting to fill a batch: a request goes out at once when a send slot is
/// free, and whatever queued up while every slot was busy goes out together in the next message.
/// </summary>
public sealed class PredictionCoalescer : BackgroundService
{
    private static readonly ActivitySource Tracing = new(ServiceDefaults.Extensions.TelemetryPrefix + ".Gateway");

    private readonly Channel<Pending> queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IRequestClient<PredictDigitBatch> client;
    private readonly GatewayOptions options;
    private readonly SemaphoreSlim slots;

    public PredictionCoalescer(IBus bus, IOptions<GatewayOptions> options)
    {
        this.options = options.Value;
        client = bus.CreateRequestClient<PredictDigitBatch>(QueueNames.Address(QueueNames.PredictDigitBatch),
            RequestTimeout.After(ms: (int)(this.options.PredictionTimeoutSeconds * 1000)));
        slots = new SemaphoreSlim(this.options.CoalescerMaxInFlight);
    }

    public Task<DigitPredicted> PredictAsync(byte[] pixels)
    {
        var pending = new Pending(NewId.NextGuid(), pixels, Activity.Current?.Context ?? default,
            new TaskCompletionSource<DigitPredicted>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!queue.Writer.TryWrite(pending)) throw new InvalidOperationException("the gateway is stopping");
        return pending.Answer.Task;
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
                while (batch.Count < max && reader.TryRead(out var pending)) batch.Add(pending);
                if (batch.Count == 0) slots.Release();
                else _ = SendAsync(batch);
            }
        }
        catch (OperationCanceledException)
        {
        }
        while (reader.TryRead(out var left)) left.Answer.TrySetCanceled(stoppingToken);
    }

    private async Task SendAsync(List<Pending> batch)
    {
        // The batch continues the first request's trace and links the others', so each HTTP request's trace reaches the predictor.
        using var activity = Tracing.StartActivity("coalesce predictions", ActivityKind.Internal, batch[0].Trace,
            links: batch.Skip(1).Where(p => p.Trace != default).Select(p => new ActivityLink(p.Trace)));
        activity?.SetTag("mnist.batch.size", batch.Count);
        try
        {
            var pixels = new byte[batch.Count * batch[0].Pixels.Length];
            for (var i = 0; i < batch.Count; i++) batch[i].Pixels.CopyTo(pixels, i * batch[0].Pixels.Length);
            var response = await client.GetResponse<DigitBatchPredicted>(
                new PredictDigitBatch(NewId.NextGuid(), batch.Select(p => p.RequestId).ToArray(), pixels, DateTimeOffset.UtcNow));
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

    private sealed record Pending(Guid RequestId, byte[] Pixels, ActivityContext Trace, TaskCompletionSource<DigitPredicted> Answer);
}
