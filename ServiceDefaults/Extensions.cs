using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace MnistEvents.ServiceDefaults;

/// <summary>Hosting every MnistEvents service shares, so each Program.cs stays a few lines.</summary>
public static class Extensions
{
    public const string LiveTag = "live";

    /// <summary>Registers health checks; checks tagged <see cref="LiveTag"/> decide liveness, all of them readiness.</summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        builder.Services.AddProblemDetails();
        return builder;
    }

    /// <summary>Maps <c>/healthz/live</c> (the process answers) and <c>/healthz/ready</c> (every check passes).</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/healthz/live", new HealthCheckOptions { Predicate = check => check.Tags.Contains(LiveTag) });
        app.MapHealthChecks("/healthz/ready");
        return app;
    }
}
