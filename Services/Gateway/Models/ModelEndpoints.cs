using MassTransit;
using Microsoft.Extensions.Options;
using MnistEvents.Contracts;
using MnistEvents.Gateway.Lifecycle;
using MnistEvents.Gateway.Problems;
using MnistEvents.Gateway.RateLimiting;
using MnistEvents.Registry;

namespace MnistEvents.Gateway.Models;

public static class ModelEndpoints
{
    public static IEndpointRouteBuilder MapModelEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/models", (ModelCatalog catalog) => catalog.View())
            .WithSummary("The kept model versions (scores, the promotion gate's verdict, which replicas serve each) and every live replica");
        app.MapGet("/models/drift", (LifecycleReports reports, IOptions<GatewayOptions> options, TimeProvider time) => reports.Drift ?? NotReported(time))
            .Produces<DriftScored>()
            .WithSummary("How far the live digits have drifted from the served version's training and validation data: each feature's population stability index now, and the overall score's history");
        app.MapGet("/models/{version}/lineage", (string version, ModelCatalog catalog) => catalog.Lineage(Kept(catalog, version)))
            .Produces<ModelLineageView>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("A kept version traced back to its data: the training run, the MNIST files' and the corrections file's sha256, the gate's verdict, shadowing and every activation");
        app.MapPost("/models/{version}/activate", ActivateAsync)
            .RequireRateLimiting(ClientRateLimits.Admin)
            .Produces<ModelActivation>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Serve a kept version everywhere (bearer token from Gateway:AdminToken): a rollback, or a refused candidate promoted by hand");
        app.MapPost("/models/{version}/shadow", ShadowAsync)
            .RequireRateLimiting(ClientRateLimits.Admin)
            .Produces<ShadowStarted>(StatusCodes.Status202Accepted)
            .Produces<ShadowStopped>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Shadow a kept version (bearer token): replicas also run it on a share of live batches after answering, and GET /models compares it with the served model");
        return app;
    }

    private static async Task<IResult> ShadowAsync(string version, ShadowRequest? body, HttpRequest request, IOptions<GatewayOptions> options,
        IRequestClient<ShadowModel> controller, CancellationToken cancellationToken)
    {
        AdminToken.Authorize(request, options.Value.AdminToken, "Shadowing models");
        var by = $"POST /models/{version}/shadow from {request.HttpContext.Connection.RemoteIpAddress}";
        var answer = await ControllerAnswer.Of(() => controller.GetResponse<ShadowStarted, ShadowStopped, LifecycleCommandRefused>(
            new ShadowModel(version, body?.SampleRate ?? 0.1, by), cancellationToken, options.Value.ControllerTimeout), options.Value);
        if (answer.Is(out Response<ShadowStarted>? started)) return Results.Accepted("/models", started.Message);
        if (answer.Is(out Response<ShadowStopped>? stopped)) return Results.Accepted("/models", stopped.Message);
        throw answer.Is(out Response<LifecycleCommandRefused>? refused) ? Refused(refused.Message) : Unexpected(answer.Message);
    }

    private static async Task<IResult> ActivateAsync(string version, HttpRequest request, IOptions<GatewayOptions> options,
        IRequestClient<ActivateModel> controller, CancellationToken cancellationToken)
    {
        AdminToken.Authorize(request, options.Value.AdminToken, "Activating models");
        var by = $"POST /models/{version}/activate from {request.HttpContext.Connection.RemoteIpAddress}";
        var answer = await ControllerAnswer.Of(() => controller.GetResponse<ModelActivated, LifecycleCommandRefused>(new ActivateModel(version, by),
            cancellationToken, options.Value.ControllerTimeout), options.Value);
        if (answer.Is(out Response<LifecycleCommandRefused>? refused)) throw Refused(refused.Message);
        if (!answer.Is(out Response<ModelActivated>? done)) throw Unexpected(answer.Message);
        var activated = done.Message;
        return Results.Accepted("/models", new ModelActivation(activated.Version, activated.Previous, activated.ActivatedBy, activated.ActivatedAt, activated.TrainingId));
    }

    // Before the controller's first report (it scores every few seconds): the same shape, saying so.
    private static DriftScored NotReported(TimeProvider time) =>
        new(new DriftNow(null, 0, 0, 0, null, null, [], "not reported yet: the controller scores the live digits' drift every few seconds", time.GetUtcNow()), []);

    private static ModelManifest Kept(ModelCatalog catalog, string version)
    {
        if (catalog.Registry.Find(version) is { } manifest) return manifest;
        var kept = string.Join(", ", catalog.Registry.Versions().Select(v => v.Version).Take(12));
        throw new ProblemException(StatusCodes.Status404NotFound, "No such model version",
            $"'{version}' is not a kept version; kept: {(kept.Length == 0 ? "none" : kept)} (GET /models lists them).");
    }

    private static InvalidOperationException Unexpected(object answer) => new($"the controller answered {answer.GetType().Name}");

    private static ProblemException Refused(LifecycleCommandRefused refused) => refused.Kind switch
    {
        LifecycleCommandRefused.NotFound => new ProblemException(StatusCodes.Status404NotFound, "No such model version", refused.Reason),
        LifecycleCommandRefused.Invalid => new ProblemException(StatusCodes.Status400BadRequest, "Invalid sample rate", refused.Reason),
        _ => new ProblemException(StatusCodes.Status409Conflict, "The model store cannot switch now", refused.Reason),
    };
}
