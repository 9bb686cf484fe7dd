using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using MnistEvents.Gateway.Clients;

namespace MnistEvents.Gateway.RateLimiting;

/// <summary>
/// Per-client limits (by <see cref="ClientAddress"/>) on the endpoints that cost work: predictions (a token bucket: a
/// sustained rate and a burst) and the admin requests (retrain, activate, shadow: so many a minute, together). Beyond them: 429 problem+json with Retry-After.
/// </summary>
public static class ClientRateLimits
{
    public const string Predictions = "predictions";
    public const string Admin = "admin";

    public static IServiceCollection AddClientRateLimits(this IServiceCollection services) => services.AddRateLimiter(limiter =>
    {
        limiter.OnRejected = OnRejectedAsync;
        limiter.AddPolicy(Predictions, http =>
        {
            var options = Options(http);
            return options.PredictionRequestsPerSecondPerClient == 0
                ? RateLimitPartition.GetNoLimiter("")
                : RateLimitPartition.GetTokenBucketLimiter(ClientAddress.Of(http), _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.PredictionBurstPerClient,
                    TokensPerPeriod = options.PredictionRequestsPerSecondPerClient,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                });
        });
        limiter.AddPolicy(Admin, http =>
        {
            var options = Options(http);
            return options.AdminRequestsPerMinutePerClient == 0
                ? RateLimitPartition.GetNoLimiter("")
                : RateLimitPartition.GetFixedWindowLimiter(ClientAddress.Of(http), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.AdminRequestsPerMinutePerClient,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                });
        });
    });

    private static GatewayOptions Options(HttpContext http) => http.RequestServices.GetRequiredService<IOptions<GatewayOptions>>().Value;


    private static async ValueTask OnRejectedAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 1;
        var detail = $"This client has sent more {http.Request.Method} {http.Request.Path} requests than it may for now; try again in {wait} s.";
        http.Response.Headers.RetryAfter = wait.ToString(CultureInfo.InvariantCulture);
        if (http.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true)
        {
            // gRPC's own refusal, a trailers-only response: RESOURCE_EXHAUSTED with the words, which a gRPC client reads as a status.
            http.Response.StatusCode = StatusCodes.Status200OK;
            http.Response.ContentType = "application/grpc";
            http.Response.Headers["grpc-status"] = "8";
            http.Response.Headers["grpc-message"] = Uri.EscapeDataString(detail);
            return;
        }
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = detail,
            },
        });
    }
}
