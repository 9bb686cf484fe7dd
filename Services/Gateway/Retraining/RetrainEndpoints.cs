using MassTransit;
using Microsoft.Extensions.Options;
using MnistEvents.Contracts;
using MnistEvents.Gateway.Models;
using MnistEvents.Gateway.Problems;
using MnistEvents.Gateway.RateLimiting;
using MnistEvents.ServiceDefaults.Bus;
using MnistEvents.ServiceDefaults.Retraining;

namespace MnistEvents.Gateway.Retraining;

public static class RetrainEndpoints
{
    public static IEndpointRouteBuilder MapRetrainEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/retrain", RetrainAsync)
            .RequireRateLimiting(ClientRateLimits.Admin)
            .Produces<RetrainAccepted>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithSummary("Queue a training run (bearer token from Gateway:AdminToken); the new model reloads everywhere");
        return app;
    }

    private static async Task<IResult> RetrainAsync(HttpRequest request, RetrainRequest? body, IOptions<GatewayOptions> options,
        ISendEndpointProvider send, CancellationToken cancellationToken)
    {
        AdminToken.Authorize(request, options.Value.AdminToken, "Retraining");
        body ??= new RetrainRequest(null, null, null, null);
        if (RetrainRules.Refusal(body.Epochs, body.BatchSize, body.LearningRate, body.Limit, body.ShadowPredictions) is { } refusal)
            throw new ProblemException(StatusCodes.Status400BadRequest, "Invalid retrain settings", refusal);

        var id = NewId.NextGuid();
        var endpoint = await send.GetSendEndpoint(QueueNames.Address(QueueNames.RequestRetrain));
        await endpoint.Send(new RequestRetrain(id, body.Epochs, body.BatchSize, body.LearningRate, body.Limit,
            request.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown", DateTimeOffset.UtcNow, body.PromoteRegardless, body.ShadowPredictions), cancellationToken);
        return Results.Accepted(value: new RetrainAccepted(id, "queued"));
    }
}
