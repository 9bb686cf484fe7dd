using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MnistEvents.Model.Networks;
using MnistEvents.Model.Store;
using MnistEvents.Registry;
using MnistEvents.ServiceTests.Support;
using MnistEvents.TestSupport;

namespace MnistEvents.ServiceTests.Gateway;

/// <summary>
/// <c>GET /models</c> lists the volume's kept versions and <c>POST /models/{version}/activate</c> moves the pointer and
/// swaps the replica, through the embedded default (the seed's real model adopted as a version, plus an untrained one).
/// </summary>
public class ModelVersionTests : IClassFixture<AllInOneFactory>
{
    private readonly HttpClient client;
    private readonly ModelRegistry registry;
    private readonly ModelManifest seed;
    private readonly ModelManifest other;

    public ModelVersionTests(AllInOneFactory factory)
    {
        client = factory.CreateClient();
        registry = new ModelRegistry(factory.ModelPath);
        ModelStore.AdoptUnversioned(registry);
        seed = registry.Find(registry.History()[0].Version)!;
        other = registry.Versions().FirstOrDefault(v => v.Version != seed.Version) ?? Models.SaveUntrainedVersion(registry);
    }

    [Fact]
    public async Task KeptVersionsAreListedWithTheirScoresAndWhichOneIsActive()
    {
        var view = await client.GetFromJsonAsync<JsonElement>("/models");

        var versions = view.GetProperty("versions").EnumerateArray().ToDictionary(v => v.GetProperty("version").GetString()!);
        Assert.Contains(seed.Version, versions.Keys);
        Assert.Contains(other.Version, versions.Keys);
        var active = view.GetProperty("active").GetString();
        Assert.True(versions[active!].GetProperty("active").GetBoolean());
        Assert.Equal("mlp", versions[other.Version].GetProperty("architecture").GetString());
    }

    [Fact]
    public async Task ActivatingAnotherVersionSwapsTheReplicaAndActivatingTheFirstRollsBack()
    {
        await ActivateAsync(other.Version);
        await Poll.Until(async () => await ServedAsync() == other.Version, $"the replica serving {other.Version}");
        Assert.Equal(other.Version, registry.ActiveVersion);

        await ActivateAsync(seed.Version);
        await Poll.Until(async () => await ServedAsync() == seed.Version, $"the replica serving {seed.Version} again");
        var prediction = await (await client.PostAsync("/prediction", Uploads.Form(Uploads.DigitPng(0)))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(seed.Version, prediction.GetProperty("modelVersion").GetString());
        Assert.Equal(other.Version, registry.PreviousVersion);
    }

    [Fact]
    public async Task ShadowingAKeptVersionComparesItWithTheServedModelOnLiveTrafficInGetModels()
    {
        var response = await client.SendAsync(Post($"/models/{other.Version}/shadow", new { sampleRate = 1.0 }));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var outOfRange = await client.SendAsync(Post($"/models/{other.Version}/shadow", new { sampleRate = 2.0 }));
        Assert.Equal(HttpStatusCode.BadRequest, outOfRange.StatusCode);

        // Predictions keep coming until a replica has reported comparing some: the shadow starts when its event arrives.
        JsonElement shadow = default, view = default;
        await Poll.Until(async () =>
        {
            await client.PostAsync("/prediction", Uploads.Form(Uploads.DigitPng(5)));
            view = await client.GetFromJsonAsync<JsonElement>("/models");
            shadow = view.GetProperty("shadow");
            return shadow.ValueKind == JsonValueKind.Object && shadow.GetProperty("compared").GetInt64() > 0;
        }, "a shadow comparison in GET /models");

        Assert.Equal(other.Version, shadow.GetProperty("candidate").GetString());
        Assert.InRange(shadow.GetProperty("agreement").GetDouble(), 0, 1);
        Assert.Equal(view.GetProperty("replicas").EnumerateArray().Select(r => r.GetProperty("replica").GetString()),
            shadow.GetProperty("replicas").EnumerateArray().Select(r => r.GetString()));
        await client.SendAsync(Post($"/models/{other.Version}/shadow", new { sampleRate = 0.0 }));

        // Stopped, what it showed stays with the version.
        var kept = (await client.GetFromJsonAsync<JsonElement>("/models")).GetProperty("versions").EnumerateArray()
            .Single(v => v.GetProperty("version").GetString() == other.Version).GetProperty("shadowed");
        Assert.InRange(kept.GetProperty("compared").GetInt64(), shadow.GetProperty("compared").GetInt64(), long.MaxValue);
        Assert.Equal(JsonValueKind.Null, (await client.GetFromJsonAsync<JsonElement>("/models")).GetProperty("shadow").ValueKind);
    }

    [Fact]
    public async Task ActivationNeedsTheTokenAndAVersionThatIsKept()
    {
        var anonymous = await client.PostAsync($"/models/{other.Version}/activate", null);
        var unknown = await client.SendAsync(Activate("20990101-000000-deadbeef"));
        var traversal = await client.SendAsync(Activate("..%2F..%2Fetc"));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Contains("not a kept version", (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NotFound, traversal.StatusCode);
    }

    private async Task ActivateAsync(string version)
    {
        var response = await client.SendAsync(Activate(version));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(version, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetString());
    }

    private Task<string?> ServedAsync() => client.CurrentVersionAsync();

    private static HttpRequestMessage Activate(string version) => Post($"/models/{version}/activate", null);

    private static HttpRequestMessage Post(string path, object? body) => new(HttpMethod.Post, path)
    {
        Headers = { Authorization = new AuthenticationHeaderValue("Bearer", AllInOneFactory.AdminToken) },
        Content = body is null ? null : JsonContent.Create(body),
    };
}
