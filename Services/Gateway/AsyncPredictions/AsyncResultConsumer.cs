using MassTransit;
using Microsoft.AspNetCore.SignalR;
using MnistEvents.Contracts;
using MnistEvents.Gateway.OpenInference;
using MnistEvents.Gateway.Realtime;

namespace MnistEvents.Gateway.AsyncPredictions;

/// <summary>
/// Pushes each async result to the browser connection that submitted it, and an async inference request's whole response
/// once its last digit is answered; results accepted by another gateway instance are ignored.
/// </summary>
public sealed class AsyncResultConsumer(AsyncPredictionStore store, OipAsyncRequests inferences, IHubContext<PredictionsHub> hub) : IConsumer<DigitBatchPredicted>
{
    public async Task Consume(ConsumeContext<DigitBatchPredicted> context)
    {
        var results = context.Message.Predictions();
        foreach (var result in results)
        {
            if (store.Completed(result) is { ConnectionId: { } connection } done)
                await hub.Clients.Client(connection).SendAsync(PredictionsHub.Predicted, AsyncPredictionView.From(done), context.CancellationToken);
        }
        foreach (var (connection, response) in inferences.Completed(results))
            await hub.Clients.Client(connection).SendAsync(OipAsyncRequests.HubMessage, response, context.CancellationToken);
    }
}
