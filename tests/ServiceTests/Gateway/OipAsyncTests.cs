using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using MnistEvents.ServiceTests.Support;
using MnistEvents.TestSupport;

namespace MnistEvents.ServiceTests.Gateway;

/// <summary>
/// Durable async inference over the Open Inference Protocol's REST route (<c>Prefer: respond-async</c>): 202 with a
/// Location once the broker holds the work, the protocol's response fetched there by this gateway or another on the
/// same volume (a restarted one), pushed whole over SignalR to a subscription; on the embedded default with the seed's MLP.
/// </summary>
public class OipAsyncTests(AllInOneFactory factory) : IClassFixture<AllInOneFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    [Fact]
    public async Task AnAsyncRequestIsAcceptedWithALocationWhoseResponseIsTheSynchronousOneAndAnotherGatewayAnswersItToo()
    {
        var response = await client.SendAsync(Infer(Digits(16, from: 200), respondAsync: true));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("respond-async", response.Headers.GetValues("Preference-Applied").Single());
        var location = response.Headers.Location!.ToString();
        Assert.Matches("^/v2/models/mnist/requests/[0-9a-f-]{36}$", location);
        Assert.Equal(location, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("location").GetString());
        JsonElement answer = default;
        await Poll.Until(async () =>
        {
            var fetched = await client.GetAsync(location);
            if (fetched.StatusCode != HttpStatusCode.OK) return false;
            answer = await fetched.Content.ReadFromJsonAsync<JsonElement>();
            return true;
        }, "the async response");

        var now = await (await client.SendAsync(Infer(Digits(16, from: 200), respondAsync: false))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("async-16", answer.GetProperty("id").GetString());
        Assert.Equal(Data(now, "digit"), Data(answer, "digit"));
        Assert.Equal(Data(now, "probabilities"), Data(answer, "probabilities"));
        // Another instance on the same volume, with nothing in its memory: a restarted gateway, or a second replica.
        using var other = factory.WithWebHostBuilder(_ => { });
        var again = await other.CreateClient().GetAsync(location);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(Data(answer, "digit"), Data(await again.Content.ReadFromJsonAsync<JsonElement>(), "digit"));
    }

    [Fact]
    public async Task WithASubscriptionTheWholeResponseIsPushedOnceItsLastDigitIsAnswered()
    {
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(factory.Server.BaseAddress, "hubs/predictions"), o =>
            {
                o.Transports = HttpTransportType.LongPolling; // the in-memory test server has no WebSockets
                o.HttpMessageHandlerFactory = _ => factory.Server.CreateHandler();
            })
            .Build();
        var pushed = new TaskCompletionSource<JsonElement>();
        connection.On<JsonElement>("inferred", r => pushed.TrySetResult(r));
        await connection.StartAsync();
        var key = await connection.InvokeAsync<string>("subscribe");

        var response = await client.SendAsync(Infer(Digits(8, from: 300), respondAsync: true, subscription: key));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("pushed").GetBoolean());
        var result = await pushed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("async-8", result.GetProperty("id").GetString());
        var digits = Data(result, "digit").Split(',').Select(int.Parse).ToArray();
        Assert.True(digits.Where((d, i) => d == TestData.Test.Labels[300 + i]).Count() >= 7);
    }

    [Fact]
    public async Task ARequestNoPredictorHasAnsweredYetIsPendingAndAnUnknownOneIsNotFound()
    {
        await using var alone = new GatewayOnlyFactory();
        var gateway = alone.CreateClient();

        var response = await gateway.SendAsync(Infer(Digits(3, from: 0), respondAsync: true));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var pending = await gateway.GetAsync(response.Headers.Location);
        Assert.Equal(HttpStatusCode.Accepted, pending.StatusCode);
        var state = await pending.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("pending", 0, 3), (state.GetProperty("status").GetString(), state.GetProperty("done").GetInt32(), state.GetProperty("digits").GetInt32()));
        var unknown = await gateway.GetAsync($"/v2/models/mnist/requests/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("no inference request", (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    private static string Digits(int count, int from) => string.Join(",", TestData.Test.Images.AsSpan(from * 784, count * 784).ToArray()) + $"|{count}";

    private static HttpRequestMessage Infer(string digits, bool respondAsync, string? subscription = null)
    {
        var (data, count) = (digits.Split('|')[0], digits.Split('|')[1]);
        var parameters = subscription is null ? "" : $", \"parameters\": {{\"subscription\": \"{subscription}\"}}";
        var request = new HttpRequestMessage(HttpMethod.Post, "/v2/models/mnist/infer")
        {
            Content = new StringContent($"{{\"id\": \"async-{count}\"{parameters}, \"inputs\": [{{\"name\": \"pixels\", \"datatype\": \"UINT8\", \"shape\": [{count},784], \"data\": [{data}]}}]}}",
                Encoding.UTF8, "application/json"),
        };
        if (respondAsync) request.Headers.Add("Prefer", "respond-async");
        return request;
    }

    private static string Data(JsonElement response, string output) => string.Join(",", response.GetProperty("outputs").EnumerateArray()
        .Single(o => o.GetProperty("name").GetString() == output).GetProperty("data").EnumerateArray().Select(v => v.GetRawText()));
}
