using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MnistEvents.Predictor.Serving;

/// <summary>Ready only with a model to serve; stays ready through a swap, since the old model serves until the new one is in.</summary>
public sealed class ModelReadinessCheck(ModelHolder holder) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(holder.Manifest is { } manifest
            ? HealthCheckResult.Healthy($"serving {manifest.Version}")
            : HealthCheckResult.Unhealthy("no model loaded yet"));
}
