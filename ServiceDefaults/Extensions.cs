using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MnistEvents.ServiceDefaults.Http;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MnistEvents.ServiceDefaults;

/// <summary>Hosting every MnistEvents service shares, so each Program.cs stays a few lines.</summary>
public static class Extensions
{
    public const string LiveTag = "live";

    /// <summary>Meters and activity sources of this project all start with this.</summary>
    public const string TelemetryPrefix = "MnistEvents";

    /// <summary>Health checks (tagged <see cref="LiveTag"/> for liveness, all for readiness), problem details (Kestrel's own refusals included), metrics, tracing and structured logs.</summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        // Probes ask every few seconds, and "not ready yet" (no model while the first one trains) is their answer, not
        // a failure: the health service would log each one as "fail:". The checks' owners log their state changes once.
        builder.Logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService", LogLevel.None);
        builder.Services.AddProblemDetails();
        builder.Services.AddProtocolErrorProblems();
        builder.Services.AddOptions<HostsOptions>().BindConfiguration(HostsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<ProxiesOptions>().BindConfiguration(ProxiesOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Environment.ApplicationName,
                serviceInstanceId: ReplicaIdentity.Current))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddMeter("MassTransit", "System.Runtime", TelemetryPrefix + ".*")
                .AddPrometheusExporter());
        // Traces are recorded only where a collector takes them (OTEL_EXPORTER_OTLP_ENDPOINT): recorded for nobody, they
        // cost every request and every message their activities (measured by bench/serve). Trace context still flows.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.WithTracing(tracing => tracing
                    .AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments("/healthz")
                                                                            && !context.Request.Path.StartsWithSegments("/metrics"))
                    .AddSource("MassTransit", TelemetryPrefix + ".*"))
                .UseOtlpExporter();
        }
        return builder;
    }

    /// <summary>
    /// Takes a trusted proxy's word for who the client is (<see cref="ProxiesOptions"/>), refuses requests for hosts the
    /// service does not answer for (<see cref="HostsOptions"/>), then maps
    /// <c>/healthz/live</c> (the process answers), <c>/healthz/ready</c> (every check passes) and Prometheus <c>/metrics</c>.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.UseTrustedProxies();
        app.UseHostFilter();
        app.MapHealthChecks("/healthz/live", new HealthCheckOptions { Predicate = check => check.Tags.Contains(LiveTag) });
        app.MapHealthChecks("/healthz/ready");
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}
