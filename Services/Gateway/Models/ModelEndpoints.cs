using MassTransit;
using Microsoft.Extensions.Options;
using MnistEvents.Contracts;
using MnistEvents.Gateway.Drift;
using MnistEvents.Gateway.Problems;
using MnistEvents.Gateway.RateLimiting;
using MnistEvents.Gateway.Replicas;
using MnistEvents.Registry;
using MnistEvents.ServiceDefaults.Bus;

namespace MnistEvents.Gateway.Models;

public static class ModelEndpoints
{
    public static IEndpointRouteBuilder MapModelEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/models", (ModelCatalog catalog) => catalog.View())
            .WithSummary("The kept model versions (scores, the promotion gate's verdict, which replicas serve each) and every live replica");
        app.MapGet("/models/drift", (DriftMonitor drift) => drift.History())
            .Produces<DriftHistory>()
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
            .WithSummary("Shadow a kept version (bearer token): replicas also run it on a share of live batches after answering, and GET /models compares it with the served model");
        return app;
    }

    private static async Task<IResult> ShadowAsync(string version, ShadowRequest? body, HttpRequest request, ModelCatalog catalog,
        ShadowBoard shadows, IOptions<GatewayOptions> options, IPublishEndpoint publish, TimeProvider time, CancellationToken cancellationToken)
    {
        AdminToken.Authorize(request, options.Value.AdminToken, "Shadowing models");
        var rate = body?.SampleRate ?? 0.1;
        if (rate is < 0 or > 1 || !double.IsFinite(rate))
            throw new ProblemException(StatusCodes.Status400BadRequest, "Invalid sample rate", "sampleRate is the share of batches to shadow, from 0 (stop) to 1.");
        var manifest = Kept(catalog, version);
        var by = $"POST /models/{manifest.Version}/shadow from {request.HttpContext.Connection.RemoteIpAddress}";
        var plan = rate > 0 ? new ShadowPlan(manifest.Version, manifest.Sha256, rate, null, by, time.GetUtcNow()) : null;
        var change = Switch(() => catalog.Registry.ReplaceShadow(plan,
            plan is not null ? $"{manifest.Version} was shadowed in its place ({by})" : $"its shadowing was stopped ({by})", by,
            catalog.Registry.Shadow is { } current ? shadows.View(current.Version)?.Comparison() : null));
        await publish.PublishEachAsync(change.Events, cancellationToken);
        // A stop with nothing shadowed changed nothing: the answer says so in the same shape.
        var answer = change.Events.LastOrDefault(e => e is ShadowStarted or ShadowStopped) ?? RegistryEvents.Stopped(manifest.Version, by, time.GetUtcNow());
        return Results.Accepted("/models", answer);
    }

    private static ModelManifest Kept(ModelCatalog catalog, string version)
    {
        if (catalog.Registry.Find(version) is { } manifest) return manifest;
        var kept = string.Join(", ", catalog.Registry.Versions().Select(v => v.Version).Take(12));
        throw new ProblemException(StatusCodes.Status404NotFound, "No such model version",
            $"'{version}' is not a kept version; kept: {(kept.Length == 0 ? "none" : kept)} (GET /models lists them).");
    }

    private static async Task<IResult> ActivateAsync(string version, HttpRequest request, ModelCatalog catalog, ShadowPromotion shadowPromotion,
        IOptions<GatewayOptions> options, IPublishEndpoint publish, ILogger<ModelCatalog> logger, CancellationToken cancellationToken)
    {
        AdminToken.Authorize(request, options.Value.AdminToken, "Activating models");
        var manifest = Kept(catalog, version);
        var by = $"POST /models/{manifest.Version}/activate from {request.HttpContext.Connection.RemoteIpAddress}";
        var change = Switch(() => catalog.Registry.Activate(manifest.Version, by));
        var activation = change.Activation!;
        logger.LogInformation("Activated model {ModelVersion} (was {PreviousVersion})", activation.Version, activation.Previous);
        await publish.PublishEachAsync(change.Events, cancellationToken);
        await shadowPromotion.ServedByHandAsync(manifest.Version, by, publish, cancellationToken);
        return Results.Accepted("/models", activation);
    }

    private static RegistryChange Switch(Func<RegistryChange> change)
    {
        try
        {
            return change();
        }
        catch (RegistryException e)
        {
            throw new ProblemException(StatusCodes.Status409Conflict, "The model store cannot switch now", e.Message);
        }
    }
}
