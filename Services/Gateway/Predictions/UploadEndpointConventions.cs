using MnistEvents.Gateway.RateLimiting;

namespace MnistEvents.Gateway.Predictions;

public static class UploadEndpointConventions
{
    /// <summary>
    /// What every endpoint that takes uploads shares: no antiforgery (curl and scripts post forms), the client's
    /// prediction rate, and the refusals an upload can draw: 400 (malformed, missing), 413 (too large, too many files),
    /// 415 (not an image type), 422 (too many pixels, no digit, too costly), 429 (over the rate), 503 (overload).
    /// </summary>
    public static RouteHandlerBuilder TakesUploads(this RouteHandlerBuilder endpoint) => endpoint
        .DisableAntiforgery()
        .RequireRateLimiting(ClientRateLimits.Predictions)
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
        .ProducesProblem(StatusCodes.Status429TooManyRequests)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
}
