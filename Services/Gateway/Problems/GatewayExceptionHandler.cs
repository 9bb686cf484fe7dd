using System.Globalization;
using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using MnistEvents.Imaging;

namespace MnistEvents.Gateway.Problems;

/// <summary>
/// Turns every refusal into <c>application/problem+json</c> with a status that says what was wrong: upload problems
/// are 4xx; overload and a predictor that did not answer in time are 503 with Retry-After. Anything else stays a 500 and is logged.
/// </summary>
public sealed class GatewayExceptionHandler(IProblemDetailsService problems, IOptions<GatewayOptions> options, ILogger<GatewayExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (Describe(exception, options.Value.MaxUploadBytes) is not { } described) return false;
        var (status, title, detail) = described;

        // The exception handler starts from a cleared response, so headers belong here.
        if (status is StatusCodes.Status503ServiceUnavailable or StatusCodes.Status429TooManyRequests)
            context.Response.Headers.RetryAfter = ((exception as ProblemException)?.RetryAfterSeconds ?? 5).ToString(CultureInfo.InvariantCulture);
        if (status == StatusCodes.Status401Unauthorized) context.Response.Headers.WWWAuthenticate = "Bearer";
        // Predictors not answering is worth a warning; load shed on purpose is not (a flood would flood the log too).
        if (status >= 500 && exception is not ProblemException) logger.LogWarning("{Title}: {Detail}", title, detail);
        context.Response.StatusCode = status;
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        if (exception is ProblemException { Extensions: var extensions }) foreach (var (key, value) in extensions) problem.Extensions[key] = value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, Exception = exception, ProblemDetails = problem });
    }

    /// <summary>The status and words for a refusal, or null for an exception that is not one (a bug: it stays a 500).</summary>
    public static (int Status, string Title, string Detail)? Describe(Exception exception, long maxUploadBytes) => exception switch
    {
        ProblemException p => (p.Status, p.Title, p.Message),
        ImageRejectedException r => Map(r),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => TooLarge(maxUploadBytes),
        BadHttpRequestException { InnerException: JsonException json } => (StatusCodes.Status400BadRequest, "Malformed JSON",
            $"The body is not the JSON this endpoint expects{(json.Path is { Length: > 0 } path ? $" (at {path})" : "")}; see /openapi/v1.json."),
        BadHttpRequestException b => (b.StatusCode, "Bad request", b.Message),
        RequestFaultException => (StatusCodes.Status503ServiceUnavailable, "Prediction failed",
            "The predictor failed while classifying this image; it was not classified. Try again shortly."),
        RequestTimeoutException or TimeoutException => (StatusCodes.Status503ServiceUnavailable, "No predictor available",
            "No predictor answered in time; the request was not classified. Try again shortly."),
        _ => null,
    };

    private static (int, string, string) TooLarge(long maxUploadBytes) => (StatusCodes.Status413PayloadTooLarge, "Upload too large",
        $"The request body is larger than the gateway accepts: the limit is {maxUploadBytes:N0} bytes per image.");

    private static (int, string, string) Map(ImageRejectedException e) => e.Reason switch
    {
        ImageRejection.Empty => (StatusCodes.Status400BadRequest, "Empty upload", e.Message),
        ImageRejection.NotAnImage => (StatusCodes.Status400BadRequest, "Not an image", e.Message),
        ImageRejection.UnsupportedFormat => (StatusCodes.Status415UnsupportedMediaType, "Unsupported image type", e.Message),
        ImageRejection.TooManyBytes => (StatusCodes.Status413PayloadTooLarge, "Upload too large", e.Message),
        ImageRejection.TooManyPixels => (StatusCodes.Status422UnprocessableEntity, "Too many pixels", e.Message),
        ImageRejection.NoDigit => (StatusCodes.Status422UnprocessableEntity, "No digit found", e.Message),
        ImageRejection.TooCostlyToDecode => (StatusCodes.Status422UnprocessableEntity, "Too costly to decode", e.Message),
        _ => (StatusCodes.Status400BadRequest, "Image refused", e.Message),
    };
}
