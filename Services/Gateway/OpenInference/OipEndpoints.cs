using Microsoft.Extensions.Options;
using MnistEvents.Gateway.AsyncPredictions;
using MnistEvents.Gateway.Clients;
using MnistEvents.Gateway.Predictions;
using MnistEvents.Gateway.RateLimiting;
using MnistEvents.Gateway.Realtime;

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

        v2.MapPost(Model + "/infer", (string model, HttpRequest request, OipInference oip, OipAsyncRequests later, Subscriptions subscriptions,
                IOptions<GatewayOptions> options, TimeProvider time, CancellationToken cancellationToken) =>
                InferAsync(model, null, request, oip, later, subscriptions, options.Value, time, cancellationToken))
            .Infers().WithSummary("Open Inference Protocol: classify a tensor of digits or a batch of image files with the served model "
                + "(with Prefer: respond-async, 202 and a Location to fetch the response from, durably)");
        v2.MapPost(Version + "/infer", (string model, string version, HttpRequest request, OipInference oip, OipAsyncRequests later,
                Subscriptions subscriptions, IOptions<GatewayOptions> options, TimeProvider time, CancellationToken cancellationToken) =>
                InferAsync(model, version, request, oip, later, subscriptions, options.Value, time, cancellationToken))
            .Infers().WithSummary("Open Inference Protocol: classify with a kept version, loaded on demand by the replicas");
        v2.MapGet(Model + "/requests/{id:guid}", (string model, Guid id, OipInference oip, OipAsyncRequests later) => Later(model, id, oip, later))
            .Produces<OipInferenceResponse>()
            .Produces<OipAsyncPending>(StatusCodes.Status202Accepted)
            .Produces<OipError>(StatusCodes.Status404NotFound)
            .WithSummary("Open Inference Protocol, async: the response to a request sent with Prefer: respond-async (202 while pending, 404 unknown or expired)");
        return app;
    }

    private static RouteHandlerBuilder Infers(this RouteHandlerBuilder endpoint) => endpoint
        .DisableAntiforgery()
        .RequireRateLimiting(ClientRateLimits.Predictions)
        // Any Content-Type, as Triton takes it: curl -d sends a form type, and the body is read as JSON whatever it says.
        .Accepts<object>("application/json", "*/*")
        .Produces<OipInferenceResponse>()
        .Produces<OipAsyncAccepted>(StatusCodes.Status202Accepted)
        .Produces<OipError>(StatusCodes.Status400BadRequest)
        .Produces<OipError>(StatusCodes.Status404NotFound)
        .Produces<OipError>(StatusCodes.Status413PayloadTooLarge)
        .Produces<OipError>(StatusCodes.Status429TooManyRequests)
        .Produces<OipError>(StatusCodes.Status503ServiceUnavailable);

    private static async Task<IResult> InferAsync(string model, string? version, HttpRequest request, OipInference oip, OipAsyncRequests later,
        Subscriptions subscriptions, GatewayOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        var arrived = time.GetUtcNow();
        oip.CheckModel(model, version);
        if (request.Headers.ContainsKey(BinaryExtensionHeader))
            throw OipRules.BadRequest($"the request uses Triton's binary tensor extension ({BinaryExtensionHeader}), which this server does not take; "
                + "send the tensors' data in JSON (tritonclient.http: binary_data=False)");
        OipInferRequest inference;
        using (var body = await UploadReader.RentBodyAsync(request, options.MaxUploadBytes, cancellationToken))
            inference = OipJsonRequest.Parse(body.Bytes, version, oip.MaxDigits);
        var client = ClientAddress.Of(request.HttpContext);
        if (!PrefersAsync(request)) return Results.Json(await oip.InferAsync(inference, client, arrived, cancellationToken));

        var accepted = await later.SubmitAsync(inference, client, subscriptions.Connection(inference.Subscription), arrived, cancellationToken);
        request.HttpContext.Response.Headers["Preference-Applied"] = RespondAsync;
        return Results.Accepted(accepted.Location, accepted);
    }

    private static IResult Later(string model, Guid id, OipInference oip, OipAsyncRequests later)
    {
        oip.CheckModel(model, null);
        if (later.Find(id) is not var (request, results))
            throw OipRules.NotFound($"no inference request {id} was accepted in the last {AsyncPredictionStore.Retention.TotalMinutes:0} minutes");
        var done = results.Count(r => r is not null);
        return done < results.Length
            ? Results.Json(new OipAsyncPending(id, "pending", done, results.Length), statusCode: StatusCodes.Status202Accepted)
            : Results.Json(OipInference.Respond(request.RequestId, request.Outputs, results!));
    }

    // RFC 7240: "Prefer: respond-async", alone or among other preferences.
    private static bool PrefersAsync(HttpRequest request) => request.Headers["Prefer"]
        .SelectMany(value => (value ?? "").Split(','))
        .Any(preference => preference.Split(';')[0].Trim().Equals(RespondAsync, StringComparison.OrdinalIgnoreCase));

    private const string RespondAsync = "respond-async";

    private const string BinaryExtensionHeader = "Inference-Header-Content-Length";

    private static IResult ModelReady(OipInference oip, string model, string? version)
    {
        var ready = oip.ModelReady(model, version);
        return Ready(new OipModelReady(OipModel.Name, ready), ready);
    }

    private static IResult Ready<T>(T body, bool ready) => Results.Json(body, statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
}
