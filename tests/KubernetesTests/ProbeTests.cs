using System.Net;
using k8s.Models;
using MnistEvents.KubernetesTests.Support;
using MnistEvents.TestSupport;

namespace MnistEvents.KubernetesTests;

/// <summary>Every HTTP probe of our pods asks a path that service really serves: each service is started here and asked.</summary>
public class ProbeTests
{
    [Theory]
    [InlineData("gateway", "Gateway")]
    [InlineData("predictor", "Predictor")]
    [InlineData("web", "Web")]
    [InlineData("launcher", "Launcher")]
    [InlineData("controller", "Controller")]
    public async Task EveryProbePathIsServedAndLivenessAnswers200(string deployment, string project)
    {
        var container = Manifests.Of("k8s").Single<V1Deployment>(deployment).Spec.Template.Spec.Containers.Single();
        var probes = new[] { ("readiness", container.ReadinessProbe), ("liveness", container.LivenessProbe) };
        Assert.All(probes, p => Assert.NotNull(p.Item2?.HttpGet));
        Assert.Equal("http", container.ReadinessProbe.HttpGet.Port.Value);
        Assert.Contains(container.Ports, p => p.Name == "http");

        // No broker, no model, no API server: what a pod has in its first seconds. Readiness may say no (503); the path must exist.
        var work = TestData.TempDirectory();
        using var service = ServiceProcess.OnFreePort(deployment, project, [], new Dictionary<string, string>
        {
            ["ModelVolume__ModelPath"] = Path.Combine(work, "absent.pt"),
            ["Launcher__ApiServer"] = $"http://127.0.0.1:{Repository.FreePort()}",
        }, work);
        service.Start();
        using var http = new HttpClient { BaseAddress = service.Url, Timeout = TimeSpan.FromSeconds(5) };
        await Poll.Until(async () => await AnswersAsync(http, container.LivenessProbe.HttpGet.Path), $"{deployment} answering", logOf: service);

        var liveness = await http.GetAsync(container.LivenessProbe.HttpGet.Path);
        var readiness = await http.GetAsync(container.ReadinessProbe.HttpGet.Path);

        Assert.Equal(HttpStatusCode.OK, liveness.StatusCode);
        Assert.Contains(readiness.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable });
    }

    private static async Task<bool> AnswersAsync(HttpClient http, string path)
    {
        try
        {
            await http.GetAsync(path);
            return true;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
