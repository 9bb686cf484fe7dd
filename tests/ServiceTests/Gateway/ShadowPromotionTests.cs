using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MnistEvents.Model.Store;
using MnistEvents.Registry;
using MnistEvents.ServiceTests.Support;
using MnistEvents.TestSupport;

namespace MnistEvents.ServiceTests.Gateway;

/// <summary>
/// A candidate whose promotion waits on shadowing, through the embedded default: trained on 500 real MNIST images (for
/// speed), judged by a gate it passes, shadowed on live predictions, and promoted by the gateway once the replica has
/// compared it on as many digits as asked; or refused when its shadowing is stopped, or served by hand.
/// </summary>
public class ShadowPromotionTests : IClassFixture<ShadowPromotionFactory>
{
    private readonly HttpClient client;
    private readonly ModelRegistry registry;

    public ShadowPromotionTests(ShadowPromotionFactory factory)
    {
        client = factory.CreateClient();
        registry = new ModelRegistry(factory.ModelPath);
        ModelStore.AdoptUnversioned(registry);
    }

    [Fact]
    public async Task ACandidateServesOnlyOnceTheReplicaHasComparedItOnAsManyLiveDigitsAsAsked()
    {
        const int asked = 24;
        var served = registry.ActiveVersion!;
        var accepted = await client.SendAsync(Post("/retrain", new { epochs = 1, limit = 500, shadowPredictions = asked }));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        JsonElement candidate = default;
        await Poll.Until(async () =>
        {
            candidate = (await ModelsAsync()).GetProperty("versions").EnumerateArray().FirstOrDefault(v => v.GetProperty("version").GetString() != served
                && v.GetProperty("promotion").ValueKind == JsonValueKind.Object);
            return candidate.ValueKind == JsonValueKind.Object;
        }, "the new version's verdict", TimeSpan.FromSeconds(120));
        var version = candidate.GetProperty("version").GetString()!;
        Assert.True(candidate.GetProperty("promotion").GetProperty("pending").GetBoolean());
        Assert.Equal(asked, candidate.GetProperty("promotion").GetProperty("shadowPredictions").GetInt64());

        // Every look while fewer digits were compared finds the served model unchanged; then the candidate serves.
        var looks = 0;
        JsonElement view = default;
        await Poll.Until(async () =>
        {
            var answer = await (await client.PostAsync("/prediction", Uploads.Form(Uploads.DigitPng(looks % 10)))).Content.ReadFromJsonAsync<JsonElement>();
            view = await ModelsAsync();
            if (view.GetProperty("active").GetString() == version) return answer.GetProperty("modelVersion").GetString() == version;
            var shadow = view.GetProperty("shadow");
            if (shadow.ValueKind == JsonValueKind.Object && shadow.GetProperty("compared").GetInt64() < asked)
            {
                looks++;
                Assert.Equal(served, answer.GetProperty("modelVersion").GetString());
                Assert.Equal((version, asked), (shadow.GetProperty("candidate").GetString(), shadow.GetProperty("promoteAfter").GetInt64()));
            }
            return false;
        }, $"{version} served after {asked} shadowed digits", TimeSpan.FromSeconds(90));

        Assert.True(looks > 0, "no look found the candidate waiting");
        var decision = registry.Decision(version)!;
        Assert.True(decision is { Promoted: true, Pending: false, ShadowPredictions: asked });
        Assert.InRange(decision.Shadow!.Compared, asked, long.MaxValue);
        Assert.Contains($"then shadowed on {decision.Shadow.Compared:N0} live digits (of {asked} asked)", decision.Reason);
        Assert.Equal(served, registry.PreviousVersion);
        Assert.Null(registry.Shadow);
        Assert.Equal(JsonValueKind.Null, view.GetProperty("shadow").ValueKind);
    }

    [Fact]
    public async Task StoppingTheShadowOfAWaitingCandidateRefusesItAndServingItByHandPromotesIt()
    {
        var served = registry.ActiveVersion!;
        var stopped = Waiting(served);
        Assert.Equal(HttpStatusCode.Accepted, (await client.SendAsync(Post($"/models/{stopped.Version}/shadow", new { sampleRate = 0.0 }))).StatusCode);
        var refused = registry.Decision(stopped.Version)!;

        var byHand = Waiting(served);
        Assert.Equal(HttpStatusCode.Accepted, (await client.SendAsync(Post($"/models/{byHand.Version}/activate", null))).StatusCode);
        var promoted = registry.Decision(byHand.Version)!;

        Assert.True(refused is { Promoted: false, Pending: false });
        Assert.Contains("but not promoted: its shadowing was stopped", refused.Reason);
        Assert.True(promoted is { Promoted: true, Pending: false });
        Assert.Contains("then served by hand", promoted.Reason);
        Assert.Equal(byHand.Version, registry.ActiveVersion);
        Assert.Null(registry.Shadow);
        Assert.Equal(HttpStatusCode.Accepted, (await client.SendAsync(Post($"/models/{served}/activate", null))).StatusCode);
    }

    // A kept version whose promotion waits on shadowing, as a trainer leaves it.
    private ModelManifest Waiting(string active)
    {
        var manifest = Models.SaveUntrainedVersion(registry);
        registry.RecordDecision(new PromotionDecision(manifest.Version, active, false, false, "not worse", 0.9, 0.9, 0.9, 0.9, 0.5,
            DateTimeOffset.UtcNow, Pending: true, ShadowPredictions: 1000));
        registry.ReplaceShadow(new ShadowPlan(manifest.Version, manifest.Sha256, 1, 1000, "a test", DateTimeOffset.UtcNow), "unused", "a test");
        return manifest;
    }

    private async Task<JsonElement> ModelsAsync() => await client.GetFromJsonAsync<JsonElement>("/models");

    private static HttpRequestMessage Post(string path, object? body) => new(HttpMethod.Post, path)
    {
        Headers = { Authorization = new AuthenticationHeaderValue("Bearer", AllInOneFactory.AdminToken) },
        Content = body is null ? null : JsonContent.Create(body),
    };
}
