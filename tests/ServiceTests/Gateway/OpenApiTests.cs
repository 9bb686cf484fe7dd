using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using MnistEvents.Registry;
using MnistEvents.ServiceTests.Support;
using MnistEvents.TestSupport;

namespace MnistEvents.ServiceTests.Gateway;

/// <summary>
/// The OpenAPI document lists what each endpoint can answer: every refusal an endpoint gives to a battery of bad
/// requests (each kind of refusal its handlers and limits raise) is among the responses its metadata declares.
/// </summary>
public class OpenApiTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task EveryRefusalAnEndpointGivesIsListedInItsOpenApiMetadata()
    {
        var seen = new List<(string Method, string Route, int Status)>();
        var versions = new List<string>();

        // The embedded default with a token, every limit low enough to be reached, and a kept version the store cannot
        // activate yet (the seed's plain file is not adopted): 401, 404, 409, 429 and the upload refusals; a store another
        // writer holds (the test holds its lock) for shadowing's 409.
        await using (var factory = new AllInOneFactory().WithWebHostBuilder(b =>
                     {
                         // The admin requests below share one allowance: twelve, then the loops at the end are over it.
                         b.UseSetting("Gateway:AdminRequestsPerMinutePerClient", "12");
                         b.UseSetting("Gateway:MaxFilesPerSubmission", "2");
                         // A store another writer holds is a 409 after this long.
                         b.UseSetting("ModelVolume:LockPatience", "00:00:00.200");
                     }))
        {
            var volume = factory.Services.GetRequiredService<ModelVolume>();
            var unadopted = Models.SaveUntrainedVersion(new ModelRegistry(volume)).Version;
            versions.Add(unadopted);
            var client = factory.CreateClient();
            async Task Send(string method, string route, HttpContent? body = null, bool token = true, string? path = null)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path ?? route) { Content = body };
                if (token) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AllInOneFactory.AdminToken);
                seen.Add((method, route, (int)(await client.SendAsync(request)).StatusCode));
            }

            await Send("POST", "/prediction", Uploads.Form([]));
            await Send("POST", "/prediction", Uploads.Form(new byte[300_000]));
            await Send("POST", "/prediction", JsonContent.Create(new { file = 1 }));
            await Send("POST", "/prediction", Uploads.Form(ImageBombs.PngPixels(20_000, 20_000)));
            await Send("POST", "/predictions", new MultipartFormDataContent());
            await Send("POST", "/predictions", Uploads.Files(3));
            await Send("POST", "/predictions", JsonContent.Create(new { file = 1 }));
            await Send("POST", "/predictions", Form(ImageBombs.PngPixels(20_000, 20_000)));
            await Send("GET", "/predictions/{id}", path: $"/predictions/{Guid.NewGuid()}");
            await Send("POST", "/feedback", JsonContent.Create(new { label = 3 }));
            await Send("POST", "/feedback", JsonContent.Create(new { predictionId = Guid.NewGuid(), label = 3 }));
            await Send("POST", "/feedback", new StringContent("{", null, "application/json"));
            await Send("POST", "/retrain", JsonContent.Create(new { epochs = 31 }));
            await Send("POST", "/retrain", JsonContent.Create(new { epochs = 1 }), token: false);
            await Send("POST", "/models/{version}/activate", path: "/models/20990101-000000-deadbeef/activate");
            await Send("POST", "/models/{version}/activate", path: $"/models/{unadopted}/activate");
            await Send("POST", "/models/{version}/activate", token: false, path: $"/models/{unadopted}/activate");
            await Send("POST", "/models/{version}/shadow", JsonContent.Create(new { sampleRate = 2.0 }), path: $"/models/{unadopted}/shadow");
            await Send("POST", "/models/{version}/shadow", JsonContent.Create(new { sampleRate = 0.5 }), path: "/models/20990101-000000-deadbeef/shadow");
            await Send("POST", "/models/{version}/shadow", JsonContent.Create(new { sampleRate = 0.5 }), token: false, path: $"/models/{unadopted}/shadow");
            using (new FileStream(volume.LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
                await Send("POST", "/models/{version}/shadow", JsonContent.Create(new { sampleRate = 0.5 }), path: $"/models/{unadopted}/shadow");
            await Send("GET", "/feedback/corrections", token: false);
            await Send("GET", "/feedback/corrections", path: "/feedback/corrections?limit=0");
            await Send("POST", "/feedback/corrections/{id}/reject", path: $"/feedback/corrections/{Guid.NewGuid()}/reject");
            for (var i = 0; i < 3; i++) await Send("POST", "/models/{version}/shadow", JsonContent.Create(new { sampleRate = 0.5 }), path: $"/models/{unadopted}/shadow");
            for (var i = 0; i < 3; i++) await Send("POST", "/models/{version}/activate", path: $"/models/{unadopted}/activate");
            for (var i = 0; i < 3; i++) await Send("POST", "/retrain", JsonContent.Create(new { epochs = 31 }));
            for (var i = 0; i < 3; i++) await Send("POST", "/feedback", JsonContent.Create(new { label = 3 }));
            await Send("POST", "/v2/models/{model}/infer", new StringContent("{", null, "application/json"), path: "/v2/models/mnist/infer");
            await Send("POST", "/v2/models/{model}/infer", JsonContent.Create(new { inputs = Array.Empty<object>() }), path: "/v2/models/fashion/infer");
            await Send("POST", "/v2/models/{model}/infer", new StringContent(new string(' ', 300_000), null, "application/json"), path: "/v2/models/mnist/infer");
            await Send("POST", "/v2/models/{model}/versions/{version}/infer", JsonContent.Create(new { inputs = Array.Empty<object>() }),
                path: "/v2/models/mnist/versions/20990101-000000-deadbeef/infer");
            await Send("GET", "/v2/models/{model}", path: "/v2/models/fashion");
            await Send("GET", "/v2/models/{model}/requests/{id}", path: $"/v2/models/mnist/requests/{Guid.NewGuid()}");
            await Send("GET", "/v2/models/{model}/versions/{version}", path: "/v2/models/mnist/versions/20990101-000000-deadbeef");
            await Send("GET", "/v2/models/{model}/ready", path: "/v2/models/fashion/ready");
            await Send("GET", "/v2/models/{model}/versions/{version}/ready", path: "/v2/models/mnist/versions/20990101-000000-deadbeef/ready");
        }

        // The gateway alone: no admin token (403), no predictor (503), prediction rate limits on.
        await using (var alone = new GatewayOnlyFactory().WithWebHostBuilder(b => b.UseSetting("Gateway:PredictionBurstPerClient", "1")
                         .UseSetting("Gateway:PredictionRequestsPerSecondPerClient", "1")))
        {
            var client = alone.CreateClient();
            seen.Add(("POST", "/retrain", (int)(await client.PostAsJsonAsync("/retrain", new { epochs = 1 })).StatusCode));
            seen.Add(("POST", "/models/{version}/activate", (int)(await client.PostAsync($"/models/{versions[0]}/activate", null)).StatusCode));
            seen.Add(("POST", "/models/{version}/shadow", (int)(await client.PostAsJsonAsync($"/models/{versions[0]}/shadow", new { sampleRate = 0.5 })).StatusCode));
            seen.Add(("DELETE", "/feedback/corrections/{id}", (int)(await client.DeleteAsync($"/feedback/corrections/{Guid.NewGuid()}")).StatusCode));
            for (var i = 0; i < 3; i++) seen.Add(("POST", "/prediction", (int)(await client.PostAsync("/prediction", Uploads.Form(Uploads.DigitPng(0)))).StatusCode));
            for (var i = 0; i < 3; i++) seen.Add(("POST", "/predictions", (int)(await client.PostAsync("/predictions", Uploads.Files(1))).StatusCode));
            seen.Add(("GET", "/v2/health/ready", (int)(await client.GetAsync("/v2/health/ready")).StatusCode));
            seen.Add(("GET", "/v2/models/{model}/ready", (int)(await client.GetAsync("/v2/models/mnist/ready")).StatusCode));
            var digit = $"{{\"inputs\": [{{\"name\": \"pixels\", \"datatype\": \"UINT8\", \"shape\": [1,784], \"data\": [{string.Join(",", new byte[784])}]}}]}}";
            for (var i = 0; i < 3; i++)
                seen.Add(("POST", "/v2/models/{model}/infer", (int)(await client.PostAsync("/v2/models/mnist/infer", new StringContent(digit, null, "application/json"))).StatusCode));
            var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement.GetProperty("paths");

            foreach (var s in seen) output.WriteLine($"{s.Method} {s.Route} {s.Status}");
            var undeclared = seen.Where(s => s.Status >= 400).Distinct()
                .Where(s => !document.GetProperty(s.Route).GetProperty(s.Method.ToLowerInvariant()).GetProperty("responses").TryGetProperty($"{s.Status}", out _))
                .Select(s => $"{s.Method} {s.Route} answers {s.Status}");
            Assert.Empty(undeclared);
            // The battery reached the refusals it was written for.
            Assert.Superset(new HashSet<int> { 400, 401, 403, 404, 409, 413, 415, 422, 429, 503 }, seen.Select(s => s.Status).ToHashSet());
            Assert.Contains(("POST", "/models/{version}/shadow", 409), seen);
        }
    }


    private static MultipartFormDataContent Form(byte[] file)
    {
        var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(file) { Headers = { ContentType = new MediaTypeHeaderValue("image/png") } }, "files", "bomb.png");
        return form;
    }
}
