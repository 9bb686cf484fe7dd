using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MnistEvents.ServiceTests.Support;
using MnistEvents.TestSupport;

namespace MnistEvents.ServiceTests.Gateway;

/// <summary>POST /feedback: a person's "that was a 4" kept durably with what the model saw, once per prediction.</summary>
public class FeedbackTests(AllInOneFactory factory) : IClassFixture<AllInOneFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task CorrectionIsKeptOnceWithWhatTheModelSawAndCounted()
    {
        var prediction = await AsyncPredictions.PredictAsync(client, Uploads.DigitPng(1));
        var id = prediction.GetProperty("id").GetGuid();
        var before = await client.GetFromJsonAsync<JsonElement>("/feedback");

        var response = await client.PostAsJsonAsync("/feedback", new { predictionId = id, label = 4 });
        var again = await client.PostAsJsonAsync("/feedback", new { predictionId = id, label = 5 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var summary = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(before.GetProperty("count").GetInt32() + 1, summary.GetProperty("count").GetInt32());
        Assert.Equal(before.GetProperty("perLabel")[4].GetInt32() + 1, summary.GetProperty("perLabel")[4].GetInt32());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("corrected already", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());

        var kept = File.ReadLines(factory.FeedbackPath).Select(line => JsonDocument.Parse(line).RootElement)
            .Single(r => r.GetProperty("predictionId").GetGuid() == id);
        Assert.Equal(4, kept.GetProperty("label").GetInt32());
        Assert.Equal(prediction.GetProperty("result").GetProperty("digit").GetInt32(), kept.GetProperty("predicted").GetInt32());
        Assert.Equal(prediction.GetProperty("result").GetProperty("modelInput").GetString(), kept.GetProperty("pixels").GetString());
        Assert.Equal(784, kept.GetProperty("pixels").GetBytesFromBase64().Length);
    }

    [Fact]
    public async Task TheServedModelIsScoredOnTheLatestCorrections()
    {
        // Corrected to what the model answered: scored as right; corrected to something else: as wrong.
        foreach (var (index, agree) in new[] { (2, true), (3, false) })
        {
            var prediction = await AsyncPredictions.PredictAsync(client, Uploads.DigitPng(index));
            var digit = prediction.GetProperty("result").GetProperty("digit").GetInt32();
            var label = agree ? digit : (digit + 1) % 10;
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/feedback", new { predictionId = prediction.GetProperty("id").GetGuid(), label })).StatusCode);
        }

        var summary = await client.GetFromJsonAsync<JsonElement>("/feedback");

        var kept = File.ReadLines(factory.FeedbackPath).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        var score = summary.GetProperty("activeModel");
        Assert.Equal(kept.Count, score.GetProperty("evaluated").GetInt32());
        Assert.Equal(kept.Count(k => k.GetProperty("label").GetInt32() == k.GetProperty("predicted").GetInt32()) / (double)kept.Count,
            score.GetProperty("accuracy").GetDouble(), 6);
        // The version that answered them is the one the replica announces: the gateway lists it once it has heard.
        await client.UntilServedAsync(score.GetProperty("version").GetString()!);
    }

    public static TheoryData<string, string, HttpStatusCode, string> BadCorrections => new()
    {
        { "application/json", """{"label": 3}""", HttpStatusCode.BadRequest, "predictionId" },
        { "application/json", $$"""{"predictionId": "{{Guid.NewGuid()}}", "label": 12}""", HttpStatusCode.BadRequest, "0 to 9" },
        { "application/json", $$"""{"predictionId": "{{Guid.NewGuid()}}", "label": 3}""", HttpStatusCode.NotFound, "only recent predictions" },
        { "application/json", """{"predictionId": "x", "label": 3}""", HttpStatusCode.BadRequest, "$.predictionId" },
        // A number is a JSON number: a label sent as a string is refused, naming it.
        { "application/json", $$"""{"predictionId": "{{Guid.NewGuid()}}", "label": "7"}""", HttpStatusCode.BadRequest, "$.label" },
        { "text/plain", """{"label": 3}""", HttpStatusCode.UnsupportedMediaType, "application/json" },
    };

    [Theory]
    [MemberData(nameof(BadCorrections))]
    public async Task BadCorrectionIsA4xxProblemThatSaysWhatWasWrong(string contentType, string body, HttpStatusCode status, string words)
    {
        var response = await client.PostAsync("/feedback", new StringContent(body, Encoding.UTF8, contentType));

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(words, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }
}
