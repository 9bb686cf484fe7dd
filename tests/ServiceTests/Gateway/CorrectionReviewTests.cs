using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MnistEvents.ServiceTests.Support;
using MnistEvents.TestSupport;

namespace MnistEvents.ServiceTests.Gateway;

/// <summary>
/// An admin's review of the corrections (bearer token): each listed with the standing the trust rules give it, as the
/// next training will see it, and what the model saw; accepted, rejected or deleted one by one.
/// </summary>
public sealed class CorrectionReviewTests : IAsyncLifetime
{
    private readonly ClientsFactory factory = new([]);

    [Fact]
    public async Task OneClientsContradictoryCorrectionsOfOneImageAreListedAsRefusedAndAnAdminCanAcceptOne()
    {
        // The attack once seen: one image predicted six times, each prediction corrected to another digit.
        var attacker = factory.Client("10.0.0.66");
        var labels = new[] { 3, 7, 0, 4, 1, 2 };
        var ids = new List<Guid>();
        foreach (var label in labels)
        {
            var id = (await AsyncPredictions.PredictAsync(attacker, Uploads.DigitPng(0))).GetProperty("id").GetGuid();
            ids.Add(id);
            Assert.Equal(HttpStatusCode.OK, (await ClientsFactory.CorrectAsync(attacker, id, label)).StatusCode);
        }
        var admin = factory.AdminClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().GetAsync("/feedback/corrections")).StatusCode);
        var refused = await admin.GetFromJsonAsync<JsonElement>("/feedback/corrections?standing=refused");
        var listed = refused.GetProperty("corrections").EnumerateArray().Where(c => ids.Contains(c.GetProperty("predictionId").GetGuid())).ToList();
        Assert.Equal(6, listed.Count);
        Assert.All(listed, c => Assert.Equal(("contradictory", "10.0.0.66"), (c.GetProperty("reason").GetString(), c.GetProperty("client").GetString())));
        Assert.Contains("corrected as 0, 1, 2, 3, 4, 7", listed[0].GetProperty("detail").GetString());
        Assert.Equal(784, listed[0].GetProperty("modelInput").GetBytesFromBase64().Length);

        // An admin who knows the image was a 7 accepts that one: it is trusted, the others stay refused.
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/feedback/corrections/{ids[1]}/accept", null)).StatusCode);
        var trusted = await admin.GetFromJsonAsync<JsonElement>("/feedback/corrections?standing=trusted");
        var accepted = Assert.Single(trusted.GetProperty("corrections").EnumerateArray(), c => c.GetProperty("predictionId").GetGuid() == ids[1]);
        Assert.Equal("accepted", accepted.GetProperty("review").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync($"/feedback/corrections/{Guid.NewGuid()}/reject", null)).StatusCode);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await factory.DisposeAsync();
}
