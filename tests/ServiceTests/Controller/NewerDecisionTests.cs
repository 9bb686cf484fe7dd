using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MnistEvents.Contracts;
using MnistEvents.Registry;
using MnistEvents.ServiceTests.Support;
using MnistEvents.TestSupport;

namespace MnistEvents.ServiceTests.Controller;

/// <summary>
/// A newer decision wins over a candidate still waiting on its shadowing, through the embedded default as a user causes
/// it: over HTTP, with real trainings on 500 real MNIST images (for speed), a gate any candidate passes (the wait is what
/// is pinned down, not the scores) and every live batch shadowed. Once superseded, no number of live digits serves the
/// older candidate, and each training ends with one RetrainSettled.
/// </summary>
public class NewerDecisionTests
{
    private static readonly Dictionary<string, string> Settings = new()
    {
        ["Trainer:PromotionTolerancePoints"] = "100",
        ["Controller:ShadowSampleRate"] = "1",
    };

    [Fact]
    public async Task AWaitingCandidateIsSupersededByANewerPromotionAndLiveDigitsNeverServeItOverTheNewer()
    {
        await using var system = new HarnessedAllInOne(Models.SeedCopy(TestData.TempDirectory()), Settings);
        var client = system.CreateClient();
        await Poll.Until(async () => await client.CurrentVersionAsync() is not null, "the seed's model served");

        var older = await RetrainAsync(client, new { epochs = 1, limit = 500, promoteRegardless = true, shadowPredictions = 30 });
        var newer = await RetrainAsync(client, new { epochs = 1, limit = 500, promoteRegardless = true });
        var newerSettled = await SettledAsync(system, newer);
        var olderSettled = await SettledAsync(system, older);
        await PredictAsync(client, 60);

        Assert.Equal(RetrainSettled.Promoted, newerSettled.Outcome);
        Assert.Equal((RetrainSettled.Superseded, true), (olderSettled.Outcome, olderSettled.Reason.Contains($"{newerSettled.Version} was activated")));
        Assert.Equal(newerSettled.Version, await client.CurrentVersionAsync());
        var lineage = await client.GetFromJsonAsync<JsonElement>($"/models/{olderSettled.Version}/lineage");
        Assert.False(lineage.GetProperty("promotion").GetProperty("promoted").GetBoolean());
        Assert.Empty(lineage.GetProperty("activations").EnumerateArray());
        Assert.Single(Settled(system, older));
        Assert.Single(Settled(system, newer));
    }

    [Fact]
    public async Task AWaitingCandidateIsSupersededByAPersonServingAnotherVersionAndLiveDigitsNeverServeIt()
    {
        await using var system = new HarnessedAllInOne(Models.SeedCopy(TestData.TempDirectory()), Settings);
        var client = system.CreateClient();
        await Poll.Until(async () => await client.CurrentVersionAsync() is not null, "the seed's model served");

        var waiting = await RetrainAsync(client, new { epochs = 1, limit = 500, promoteRegardless = true, shadowPredictions = 30 });
        JsonElement candidate = default;
        await Poll.Until(async () => (candidate = await WaitingVersionAsync(client)).ValueKind == JsonValueKind.Object, "the candidate waiting on its shadowing",
            TimeSpan.FromSeconds(120));
        var served = new ModelRegistry(system.ModelPath).ActiveVersion!;
        var activation = await client.SendAsync(Admin(HttpMethod.Post, $"/models/{served}/activate", null));
        Assert.Equal(HttpStatusCode.Accepted, activation.StatusCode);
        var settled = await SettledAsync(system, waiting);
        await PredictAsync(client, 60);

        Assert.Equal((RetrainSettled.Superseded, candidate.GetProperty("version").GetString()), (settled.Outcome, settled.Version));
        Assert.Contains($"{served} was activated (POST /models/{served}/activate", settled.Reason);
        Assert.Equal(served, await client.CurrentVersionAsync());
        Assert.Null(new ModelRegistry(system.ModelPath).Shadow);
        Assert.Single(Settled(system, waiting));
    }

    private static async Task<Guid> RetrainAsync(HttpClient client, object body)
    {
        var response = await client.SendAsync(Admin(HttpMethod.Post, "/retrain", body));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trainingId").GetGuid();
    }

    private static async Task<RetrainSettled> SettledAsync(HarnessedAllInOne system, Guid trainingId)
    {
        await Poll.Until(() => Task.FromResult(Settled(system, trainingId).Count > 0), $"training {trainingId} settled", TimeSpan.FromSeconds(180));
        return Settled(system, trainingId)[0];
    }

    private static List<RetrainSettled> Settled(HarnessedAllInOne system, Guid trainingId) =>
        system.Harness.PublishedSoFar<RetrainSettled>().Where(s => s.TrainingId == trainingId).ToList();

    private static async Task<JsonElement> WaitingVersionAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/models")).GetProperty("versions").EnumerateArray()
            .FirstOrDefault(v => v.GetProperty("promotion") is { ValueKind: JsonValueKind.Object } p && p.GetProperty("pending").GetBoolean());

    // More live digits than any shadowing asked for, each answered.
    private static async Task PredictAsync(HttpClient client, int count)
    {
        for (var i = 0; i < count; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/prediction", Uploads.Form(Uploads.DigitPng(i % 10)))).StatusCode);
    }

    private static HttpRequestMessage Admin(HttpMethod method, string path, object? body) => new(method, path)
    {
        Headers = { Authorization = new AuthenticationHeaderValue("Bearer", AllInOneFactory.AdminToken) },
        Content = body is null ? null : JsonContent.Create(body),
    };
}
