using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MnistEvents.ServiceTests.Support;
using MnistEvents.TestSupport;

namespace MnistEvents.ServiceTests.Gateway;

/// <summary>
/// What one client can fill is its own share: the async results store and the corrections. A client over its share is
/// a 429 that says so; another client is answered as before. Shares lowered to what a test can reach.
/// </summary>
public sealed class ClientSharesTests : IAsyncLifetime
{
    private readonly ClientsFactory factory = new(new()
    {
        ["Gateway:MaxAsyncResultsPerClient"] = "3",
        ["Corrections:MaxPerClient"] = "2",
    });

    [Fact]
    public async Task AClientOverItsShareOfTheAsyncStoreIsA429AndAnotherClientIsNotAffected()
    {
        var flooder = factory.Client("10.0.0.66");
        Assert.Equal(HttpStatusCode.Accepted, (await flooder.PostAsync("/predictions", Uploads.Files(3))).StatusCode);

        var over = await flooder.PostAsync("/predictions", Uploads.Files(1));
        var other = await factory.Client("10.0.0.7").PostAsync("/predictions", Uploads.Files(3));

        Assert.Equal(HttpStatusCode.TooManyRequests, over.StatusCode);
        Assert.Equal("application/problem+json", over.Content.Headers.ContentType?.MediaType);
        Assert.Contains("has 3 async predictions kept and may have 3 at once", await Detail(over));
        Assert.NotNull(over.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.Accepted, other.StatusCode);
    }

    [Fact]
    public async Task AClientOverItsShareOfCorrectionsIsA429UntilAnAdminDeletesOneAndAnotherClientIsNotAffected()
    {
        var flooder = factory.Client("10.0.0.66");
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++) ids.Add((await AsyncPredictions.PredictAsync(flooder, Uploads.DigitPng(i))).GetProperty("id").GetGuid());
        var other = factory.Client("10.0.0.7");
        var theirs = (await AsyncPredictions.PredictAsync(other, Uploads.DigitPng(3))).GetProperty("id").GetGuid();

        Assert.Equal(HttpStatusCode.OK, (await ClientsFactory.CorrectAsync(flooder, ids[0], 1)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ClientsFactory.CorrectAsync(flooder, ids[1], 1)).StatusCode);
        var over = await ClientsFactory.CorrectAsync(flooder, ids[2], 1);
        Assert.Equal(HttpStatusCode.TooManyRequests, over.StatusCode);
        Assert.Contains("has 2 corrections kept, its share", await Detail(over));
        Assert.Equal(HttpStatusCode.OK, (await ClientsFactory.CorrectAsync(other, theirs, 1)).StatusCode);

        var admin = factory.AdminClient();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/feedback/corrections/{ids[0]}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ClientsFactory.CorrectAsync(flooder, ids[2], 1)).StatusCode);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await factory.DisposeAsync();


    private static async Task<string> Detail(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;
}
