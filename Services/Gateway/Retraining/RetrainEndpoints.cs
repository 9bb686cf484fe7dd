using System.Security.Cryptography;
using System.Text;
using MassTransit;
using Microsoft.Extensions.Options;
using MnistEvents.Contracts;
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
            .RequireRateLimiting(ClientRateLimits.Retrain)
            .Produces<RetrainAccepted>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithSummary("Queue a training run (bearer token from Gateway:RetrainToken); the new model reloads everywhere");
        return app;
    }

    private static async Task<IResult> RetrainAsync(HttpRequest request, RetrainRequest? body, IOptions<GatewayOptions> options,
        ISendEndpointProvider send, CancellationToken cancellationToken)
    {
        Authorize(request, options.Value.RetrainToken);
        body ??= new RetrainRequest(null, null, null, null);
        if (RetrainRules.Refusal(body.Epochs, body.BatchSize, body.LearningRate, body.Limit) is { } refusal)
            throw new ProblemException(StatusCodes.Status400BadRequest, "Invalid retrain settings", refusal);

        var id = NewId.NextGuid();
        var endpoint = await send.GetSendEndpoint(QueueNames.Address(QueueNames.RequestRetrain));
        await endpoint.Send(new RequestRetrain(id, body.Epochs, body.BatchSize, body.LearningRate, body.Limit,
            request.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown", DateTimeOffset.UtcNow), cancellationToken);
        return Results.Accepted(value: new RetrainAccepted(id, "queued"));
    }

    private static void Authorize(HttpRequest request, string? token)
    {
        if (string.IsNullOrEmpty(token))
            throw new ProblemException(StatusCodes.Status403Forbidden, "Retraining is disabled",
                "No retrain token is configured. Set Gateway:RetrainToken (environment variable Gateway__RetrainToken) and send it as 'Authorization: Bearer <token>'.");

        var header = request.Headers.Authorization.ToString();
        var presented = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : "";
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(token)))
        {
            throw new ProblemException(StatusCodes.Status401Unauthorized, "Retrain token required",
                presented.Length == 0 ? "Send 'Authorization: Bearer <token>'." : "The bearer token is not the configured retrain token.");
        }
    }
}
