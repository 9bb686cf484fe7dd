using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MnistEvents.ServiceTests.Support;
using MnistEvents.TestSupport;

namespace MnistEvents.ServiceTests.Gateway;

/// <summary>The gateway alone: nobody answers predictions, and retraining has not been enabled.</summary>
public class GatewayWithoutPredictorTests(GatewayOnlyFactory factory) : IClassFixture<GatewayOnlyFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task NoPredictorAnsweringIs503WithRetryAfter()
    {
        var response = await client.PostAsync("/prediction", Uploads.Form(Uploads.DigitPng(0)));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task RetrainWithoutAConfiguredTokenIsForbiddenAndSaysHowToEnableIt()
    {
        var response = await client.PostAsync("/retrain", null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("Gateway__AdminToken", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public void InvalidSettingsStopTheGatewayAtStartNamingTheSetting()
    {
        using var misconfigured = factory.WithWebHostBuilder(b => b.UseSetting("Gateway:MaxUploadBytes", "0"));

        var error = Assert.Throws<OptionsValidationException>(() => misconfigured.CreateClient());

        Assert.Contains("MaxUploadBytes", error.Message);
    }

    [Fact]
    public async Task NotReadyYetIsAnsweredButNotLoggedAsAFailure()
    {
        var logs = new CapturedLogs();
        using var notReady = factory.WithWebHostBuilder(b => b.ConfigureServices(services =>
        {
            services.AddHealthChecks().AddCheck("first-model", () => HealthCheckResult.Unhealthy("no model loaded yet"));
            services.AddSingleton<ILoggerProvider>(logs);
        }));
        var client = notReady.CreateClient();

        var responses = new[] { await client.GetAsync("/healthz/ready"), await client.GetAsync("/healthz/ready") };

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode));
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Warning && e.Message.Contains("first-model", StringComparison.Ordinal));
    }
}
