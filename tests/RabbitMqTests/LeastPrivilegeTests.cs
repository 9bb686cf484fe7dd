using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MnistEvents.Contracts;
using MnistEvents.TestSupport;
using RabbitMQ.Client;

namespace MnistEvents.RabbitMqTests;

/// <summary>Each service's broker user, exactly as k8s/ defines it, lets it do its job and nothing that is another's.</summary>
public class LeastPrivilegeTests(KubernetesBrokerUsers broker) : IClassFixture<KubernetesBrokerUsers>
{
    [Fact]
    public async Task EachServiceDoesItsWholeJobAsItsOwnUser()
    {
        var sync = await broker.Http.PostAsync("/prediction", Uploads.Form(Uploads.DigitPng(0)));
        Assert.Equal(HttpStatusCode.OK, sync.StatusCode);

        var submitted = await (await broker.Http.PostAsync("/predictions", Uploads.Form(Uploads.DigitPng(1)))).Content.ReadFromJsonAsync<JsonElement>();
        var id = submitted.GetProperty("items")[0].GetProperty("id").GetGuid();
        await Poll.Until(async () => (await broker.Http.GetFromJsonAsync<JsonElement>($"/predictions/{id}")).GetProperty("status").GetString() == "done",
            "the async prediction answered", logOf: broker.Predictor);

        var before = await CurrentVersionAsync();
        using var retrain = new HttpRequestMessage(HttpMethod.Post, "/retrain")
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", broker.AdminToken) },
            // A small real subset, served regardless of the promotion gate: the round trip, not the accuracy. Shadowed
            // first, so the trainer announces the shadowing and the gateway the promotion, each as its own user.
            Content = JsonContent.Create(new { epochs = 1, limit = 1000, promoteRegardless = true, shadowPredictions = 5 }),
        };
        Assert.Equal(HttpStatusCode.Accepted, (await broker.Http.SendAsync(retrain)).StatusCode);
        await Poll.Until(async () =>
        {
            await broker.Http.PostAsync("/prediction", Uploads.Form(Uploads.DigitPng(2)));
            return await CurrentVersionAsync() is { } now && now != before;
        }, "the retrained model shadowed, then served", TimeSpan.FromSeconds(120), broker.Trainer);

        Assert.All(broker.Services, s => Assert.DoesNotContain("ACCESS_REFUSED", File.ReadAllText(s.LogPath)));
    }

    public static TheoryData<string, string> ForeignPublications => new()
    {
        { "gateway", nameof(ModelSaved) },
        { "gateway", nameof(TrainingStarted) },
        { "gateway", nameof(ShadowReported) },
        { "gateway", nameof(TrainingCompleted) },
        { "gateway", nameof(DigitBatchPredicted) },
        { "predictor", nameof(ModelSaved) },
        { "predictor", nameof(ModelActivated) },
        { "predictor", nameof(ShadowStarted) },
        { "predictor", nameof(TrainingProgressed) },
        { "trainer", nameof(DigitBatchPredicted) },
        { "trainer", nameof(ModelLoaded) },
        { "trainer", nameof(ShadowReported) },
        { "launcher", nameof(ModelSaved) },
        { "launcher", nameof(ModelActivated) },
        { "launcher", nameof(TrainingCompleted) },
    };

    [Theory]
    [MemberData(nameof(ForeignPublications))]
    public async Task AServicesUserCannotPublishAnotherServicesEvents(string user, string message)
    {
        // The event's exchange exists (as MassTransit declares it); the question is only who may publish to it.
        var exchange = $"{typeof(ModelSaved).Namespace}:{message}";
        await using (var admin = await ConnectAsync("admin"))
        await using (var setup = await admin.CreateChannelAsync())
            await setup.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true);

        await using var connection = await ConnectAsync(user);
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));

        var refused = await Assert.ThrowsAnyAsync<Exception>(async () =>
            await channel.BasicPublishAsync(exchange, "", mandatory: false, new BasicProperties(), "{}"u8.ToArray()));

        Assert.Contains("ACCESS_REFUSED", refused.ToString());
    }

    private Task<IConnection> ConnectAsync(string user) => new ConnectionFactory
    {
        HostName = "127.0.0.1",
        Port = Broker.Node.AmqpPort,
        VirtualHost = broker.VirtualHost,
        UserName = user,
        Password = KubernetesBrokerUsers.Password(user),
    }.CreateConnectionAsync();

    private async Task<string?> CurrentVersionAsync()
    {
        var view = await broker.Http.GetFromJsonAsync<JsonElement>("/models");
        return view.GetProperty("current") is { ValueKind: JsonValueKind.Object } current ? current.GetProperty("version").GetString() : null;
    }
}
