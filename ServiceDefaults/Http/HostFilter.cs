using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MnistEvents.ServiceDefaults.Http;

/// <summary>
/// Refuses a request whose Host header names a host the service does not answer for (<see cref="HostsOptions"/>) with a
/// 400 problem+json, before anything else sees it: nothing built from the Host header (a link, a redirect) can then
/// name another site. Health and metrics are answered whatever the host: probes and scrapers address a pod by its IP.
/// </summary>
public static class HostFilter
{
    public static WebApplication UseHostFilter(this WebApplication app)
    {
        var allowed = app.Services.GetRequiredService<IOptions<HostsOptions>>().Value.Allowed.ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (allowed.Count == 0) return app;
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            if (allowed.Contains(context.Request.Host.Host) || path.StartsWithSegments("/healthz") || path.StartsWithSegments("/metrics"))
            {
                await next(context);
                return;
            }
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails =
                {
                    Status = StatusCodes.Status400BadRequest,
                    Title = "Unknown host",
                    Detail = "The request's Host header names no host this service answers for; address it by one of its configured names (Hosts:Allowed).",
                },
            });
        });
        return app;
    }
}
