using MassTransit;
using Microsoft.Extensions.Options;
using MnistEvents.Contracts;
using MnistEvents.Gateway.Models;
using MnistEvents.Gateway.Problems;
using MnistEvents.Gateway.RateLimiting;

namespace MnistEvents.Gateway.Lifecycle;

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
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Ask the controller for a training run (bearer token from Gateway:AdminToken): queued, or refused in words; it ends with RetrainSettled");
        return app;
    }

    private static async Task<IResult> RetrainAsync(HttpRequest request, RetrainRequest? body, IOptions<GatewayOptions> options,
        IRequestClient<RequestRetrain> controller, CancellationToken cancellationToken)
    {
        AdminToken.Authorize(request, options.Value.AdminToken, "Retraining");
        body ??= new RetrainRequest(null, null, null, null);
        var retrain = new RequestRetrain(NewId.NextGuid(), body.Epochs, body.BatchSize, body.LearningRate, body.Limit,
            request.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown", DateTimeOffset.UtcNow, body.PromoteRegardless, body.ShadowPredictions);
        var answer = await ControllerAnswer.Of(() => controller.GetResponse<RetrainAccepted, RetrainRejected>(retrain, cancellationToken, options.Value.ControllerTimeout), options.Value);
        return answer switch
        {
            _ when answer.Is(out Response<RetrainAccepted>? accepted) => Results.Accepted(value: accepted.Message),
            _ when answer.Is(out Response<RetrainRejected>? rejected) =>
                throw new ProblemException(StatusCodes.Status400BadRequest, "Invalid retrain settings", rejected.Message.Reason),
            _ => throw new InvalidOperationException($"the controller answered {answer.Message.GetType().Name}"),
        };
    }
}
