using MassTransit;
using Microsoft.AspNetCore.SignalR;
using MnistEvents.Contracts;
using MnistEvents.Gateway.Realtime;

namespace MnistEvents.Gateway.AsyncPredictions;

/// <summary>Pushes each async result to the browser connection that submitted it; results accepted by another gateway instance are ignored.</summary>
public sealed class AsyncResultConsumer(AsyncPredictionStore store, IHubContext<PredictionsHub> hub) : IConsumer<DigitBatchPredicted>
{
    public async Task Consume(ConsumeContext<DigitBatchPredicted> context)
    {
        foreach (var result in context.Message.Predictions)
        {
            if (store.Completed(result) is { ConnectionId: { } connection } done)
                await hub.Clients.Client(connection).SendAsync(PredictionsHub.Predicted, AsyncPredictionView.From(done), context.CancellationToken);
        }
    }
}
