using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MnistEvents.ServiceDefaults.Retraining;
using MnistEvents.ServiceTests.Support;
using MnistEvents.TestSupport;

namespace MnistEvents.ServiceTests.Gateway;

/// <summary>Retraining through the embedded default: real TorchSharp training on a small real subset (2,000 images).</summary>
public class RetrainTests(AllInOneFactory factory) : IClassFixture<AllInOneFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task RetrainNeedsTheBearerToken()
    {
        var missing = await client.PostAsync("/retrain", null);
        var request = new HttpRequestMessage(HttpMethod.Post, "/retrain") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "wrong") } };
        var wrong = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("Bearer", missing.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("application/problem+json", wrong.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task InvalidSettingsAreA400()
    {
        var response = await client.SendAsync(Retrain(new { epochs = 0 }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task EpochsBeyondWhatATrainerWouldRunAreA400UpFrontNotA202AndALaterRefusal()
    {
        var response = await client.SendAsync(Retrain(new { epochs = RetrainRules.MaximumEpochs + 1 }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal($"epochs must be between 1 and {RetrainRules.MaximumEpochs}",
            (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task ALearningRateThatIsNotANumberIsA400NamingItNotA500()
    {
        var request = Retrain(new { });
        request.Content = new StringContent("{\"learningRate\":\"NaN\"}", System.Text.Encoding.UTF8, "application/json");

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        // "NaN" is a string, and a number is a JSON number.
        Assert.Contains("$.learningRate", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task ASettingOfTheWrongTypeIsA400ThatNamesIt()
    {
        var request = Retrain(new { });
        request.Content = new StringContent("{\"epochs\":\"x\"}", System.Text.Encoding.UTF8, "application/json");

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("$.epochs", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task RetrainRoundTripsToANewModelServedForPredictions()
    {
        string? before = null;
        await Poll.Until(async () => (before = await CurrentVersionAsync()) is not null, "a model served before the retrain");

        // 2,000 images make a model the gate may rightly refuse beside the seed's; this test is about the round trip.
        var response = await client.SendAsync(Retrain(new { epochs = 1, limit = 2000, promoteRegardless = true }));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("starting", 0), (accepted.GetProperty("status").GetString(), accepted.GetProperty("ahead").GetInt32()));
        string? after = null;
        await Poll.Until(async () => (after = await CurrentVersionAsync()) is not null && after != before, "the retrained model served",
            TimeSpan.FromSeconds(120));
        Assert.DoesNotContain("unversioned", after);

        var prediction = await (await client.PostAsync("/prediction", Uploads.Form(Uploads.DigitPng(0)))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(after, prediction.GetProperty("modelVersion").GetString());

        // The answer's version traced back: the request that trained it, its data, the gate, and its activation.
        var lineage = await client.GetFromJsonAsync<JsonElement>($"/models/{after}/lineage");
        var training = lineage.GetProperty("training");
        Assert.Equal(accepted.GetProperty("trainingId").GetGuid(), training.GetProperty("trainingId").GetGuid());
        Assert.Equal(2000, training.GetProperty("settings").GetProperty("limit").GetInt32());
        Assert.Equal(4, training.GetProperty("mnist").GetArrayLength());
        Assert.True(lineage.GetProperty("promotion").GetProperty("forced").GetBoolean());
        var activation = Assert.Single(lineage.GetProperty("activations").EnumerateArray());
        Assert.Equal(before, activation.GetProperty("previous").GetString());
        var replaced = await client.GetFromJsonAsync<JsonElement>($"/models/{before}/lineage");
        Assert.Equal(after, Assert.Single(replaced.GetProperty("replacedBy").EnumerateArray()).GetProperty("version").GetString());
    }

    [Fact]
    public async Task TheLineageOfAVersionThatIsNotKeptIsA404Problem()
    {
        var response = await client.GetAsync("/models/20990101-000000-00000000/lineage");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private Task<string?> CurrentVersionAsync() => client.CurrentVersionAsync();

    private static HttpRequestMessage Retrain(object body) => new(HttpMethod.Post, "/retrain")
    {
        Headers = { Authorization = new AuthenticationHeaderValue("Bearer", AllInOneFactory.AdminToken) },
        Content = JsonContent.Create(body),
    };
}
