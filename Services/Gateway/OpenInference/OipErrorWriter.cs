namespace MnistEvents.Gateway.OpenInference;

/// <summary>
/// Every error on the protocol's <c>/v2</c> routes in the protocol's own form, <c>{"error": "…"}</c>, whoever raised it
/// (the exception handler, routing, the rate limiter): the words of the problem+json the rest of the API answers, the same status and Retry-After.
/// </summary>
public sealed class OipErrorWriter : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => IsOip(context.HttpContext.Request);

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var words = problem.Detail ?? problem.Title ?? $"status {context.HttpContext.Response.StatusCode}";
        return new ValueTask(context.HttpContext.Response.WriteAsJsonAsync(new OipError(words)));
    }

    public static bool IsOip(HttpRequest request) => request.Path.StartsWithSegments("/v2");
}
