using Microsoft.Extensions.Options;
using MnistEvents.Gateway.Clients;
using MnistEvents.Gateway.Predictions;
using MnistEvents.Gateway.RateLimiting;

namespace MnistEvents.Gateway.OpenInference;

/// <summary>
/// The Open Inference Protocol (KServe V2) over REST, as kserve/open-inference-protocol's inference_rest.md defines it;
/// where it is loose, as Triton does (a server or model not ready is a 400). Errors are the protocol's <c>{"error": …}</c> (<see cref="OipErrorWriter"/>).
/// </summary>
public static class OipEndpoints
{
    private const string Model = "/v2/models/{model}";
    private const string Version = Model + "/versions/{version}";

    public static IEndpointRouteBuilder MapOipEndpoints(this IEndpointRouteBuilder app)
    {
        var v2 = app.MapGroup("").WithTags("Open Inference Protocol");
        v2.MapGet("/v2", (OipInference oip) => oip.ServerMetadata())
            .WithSummary("Open Inference Protocol: server metadata");
        v2.MapGet("/v2/health/live", () => new OipServerLive(true))
            .WithSummary("Open Inference Protocol: the server answers");
        v2.MapGet("/v2/health/ready", (OipInference oip) => Ready(new OipServerReady(oip.ServerReady), oip.ServerReady))
            .Produces<OipServerReady>().Produces<OipServerReady>(StatusCodes.Status400BadRequest)
            .WithSummary("Open Inference Protocol: a replica serves a model (400 while none does, as Triton answers)");

        v2.MapGet(Model, (string model, OipInference oip) => oip.Metadata(model, null))
            .Produces<OipModelMetadata>().Produces<OipError>(StatusCodes.Status404NotFound)
            .WithSummary("Open Inference Protocol: model metadata (the kept versions, the inputs and outputs)");
        v2.MapGet(Version, (string model, string version, OipInference oip) => oip.Metadata(model, version))
            .Produces<OipModelMetadata>().Produces<OipError>(StatusCodes.Status404NotFound)
            .WithSummary("Open Inference Protocol: a kept version's metadata");
        v2.MapGet(Model + "/ready", (string model, OipInference oip) => ModelReady(oip, model, null))
            .Produces<OipModelReady>().Produces<OipModelReady>(StatusCodes.Status400BadRequest).Produces<OipError>(StatusCodes.Status404NotFound)
            .WithSummary("Open Inference Protocol: the served model is ready");
        v2.MapGet(Version + "/ready", (string model, string version, OipInference oip) => ModelReady(oip, model, version))
            .Produces<OipModelReady>().Produces<OipModelReady>(StatusCodes.Status400BadRequest).Produces<OipError>(StatusCodes.Status404NotFound)
            .WithSummary("Open Inference Protocol: a kept version can be run");

        v2.MapPost(Model + "/infer", (string model, HttpRequest request, OipInference oip, IOptions<GatewayOptions> options, TimeProvider time,
                CancellationToken cancellationToken) => InferAsync(model, null, request, oip, options.Value, time, cancellationToken))
            .Infers().WithSummary("Open Inference Protocol: classify a tensor of digits or a batch of image files with the served model");
        v2.MapPost(Version + "/infer", (string model, string version, HttpRequest request, OipInference oip, IOptions<GatewayOptions> options,
                TimeProvider time, CancellationToken cancellationToken) => InferAsync(model, version, request, oip, options.Value, time, cancellationToken))
            .Infers().WithSummary("Open Inference Protocol: classify with a kept version, loaded on demand by the replicas");
        return app;
    }

    private static RouteHandlerBuilder Infers(this RouteHandlerBuilder endpoint) => endpoint
        .DisableAntiforgery()
        .RequireRateLimiting(ClientRateLimits.Predictions)
        .Accepts<object>("application/json")
        .Produces<OipInferenceResponse>()
        .Produces<OipError>(StatusCodes.Status400BadRequest)
        .Produces<OipError>(StatusCodes.Status404NotFound)
        .Produces<OipError>(StatusCodes.Status413PayloadTooLarge)
        .Produces<OipError>(StatusCodes.Status429TooManyRequests)
        .Produces<OipError>(StatusCodes.Status503ServiceUnavailable);

    private static async Task<OipInferenceResponse> InferAsync(string model, string? version, HttpRequest request, OipInference oip,
        GatewayOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        var arrived = time.GetUtcNow();
        oip.CheckModel(model, version);
        var body = await UploadReader.ReadBodyAsync(request, options.MaxUploadBytes, cancellationToken);
        var inference = OipJsonRequest.Parse(body, version, oip.MaxDigits);
        return await oip.InferAsync(inference, ClientAddress.Of(request.HttpContext), arrived, cancellationToken);
    }

    private static IResult ModelReady(OipInference oip, string model, string? version)
    {
        var ready = oip.ModelReady(model, version);
        return Ready(new OipModelReady(OipModel.Name, ready), ready);
    }

    private static IResult Ready<T>(T body, bool ready) => Results.Json(body, statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
}
