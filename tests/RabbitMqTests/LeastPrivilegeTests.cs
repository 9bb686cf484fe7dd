using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
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
        { "retrainer", nameof(ModelActivated) },
        { "retrainer", nameof(DigitBatchPredicted) },
        { "retrainer", nameof(RequestRetrain) },
    };

    [Theory]
    [MemberData(nameof(ForeignPublications))]
    public async Task AServicesUserCannotPublishAnotherServicesEvents(string user, string message)
    {
        // The event's exchange exists (as MassTransit declares it); the question is only who may publish to it.
        var exchange = $"{typeof(ModelSaved).Namespace}:{message}";
        await DeclareAsync(exchange);

        await using var connection = await ConnectAsync(user);
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));

        var refused = await Assert.ThrowsAnyAsync<Exception>(async () =>
            await channel.BasicPublishAsync(exchange, "", mandatory: false, new BasicProperties(), "{}"u8.ToArray()));

        Assert.Contains("ACCESS_REFUSED", refused.ToString());
    }

    [Fact]
    public async Task AnyAmqpClientAsTheRetrainerAsksForARetrainAndMayPublishNothingElse()
    {
        foreach (var message in new[] { nameof(ModelActivated), nameof(DigitBatchPredicted) }) await DeclareAsync($"{typeof(ModelSaved).Namespace}:{message}");
        var kept = await VersionsAsync();
        var served = await CurrentVersionAsync();

        // The command's JSON alone, no training id: 100 images, too few for the gate to let it replace the served model.
        var plain = await PikaAsync("plain", """{"epochs": 1, "limit": 100, "requestedBy": "pika, as a data pipeline"}""");
        Assert.Equal("confirmed", plain.GetProperty("result").GetString());
        var refused = await NewVersionJudgedAsync(kept);
        Assert.False(refused.GetProperty("promotion").GetProperty("promoted").GetBoolean());
        Assert.Equal(served, await CurrentVersionAsync());

        // In MassTransit's envelope, served whatever the gate says: the new version serves.
        var envelope = await PikaAsync("envelope", """{"epochs": 1, "limit": 1000, "promoteRegardless": true, "requestedBy": "pika"}""");
        Assert.Equal("confirmed", envelope.GetProperty("result").GetString());
        var forced = await NewVersionJudgedAsync(await VersionsAsync());
        Assert.True(forced.GetProperty("promotion").GetProperty("promoted").GetBoolean());
        await Poll.Until(async () => await CurrentVersionAsync() == forced.GetProperty("version").GetString(), "the forced version served", logOf: broker.Trainer);

        foreach (var message in new[] { nameof(ModelActivated), nameof(DigitBatchPredicted) })
        {
            var other = await PikaAsync("other", $"{typeof(ModelSaved).Namespace}:{message}");
            Assert.Equal("refused", other.GetProperty("result").GetString());
            Assert.Equal(403, other.GetProperty("code").GetInt32());
        }
    }

    [Fact]
    public async Task EveryServiceMayPublishTheFaultOfWhatItConsumesAsMassTransitDoesWhenAConsumerFails()
    {
        // MassTransit publishes a consumer's Fault<T> before it moves the message to the error queue, binding the
        // fault's exchange to MassTransit:Fault: refused, the message would be redelivered and fail again, for ever.
        await PublishFaultAsync<DigitBatchPredicted>("gateway");
        await PublishFaultAsync<PredictDigitBatch>("predictor");
        await PublishFaultAsync<RequestRetrain>("trainer");
        await PublishFaultAsync<RequestRetrain>("launcher");
    }

    private async Task PublishFaultAsync<T>(string user) where T : class
    {
        var bus = await Broker.Node.StartBusAsync(broker.VirtualHost, user, KubernetesBrokerUsers.Password(user));
        // Refused, MassTransit tries the topology again and again: the deadline turns that into this test's failure.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await bus.Publish<Fault<T>>(new
            {
                FaultId = NewId.NextGuid(),
                FaultedMessageId = NewId.NextGuid(),
                Timestamp = DateTime.UtcNow,
                Exceptions = Array.Empty<ExceptionInfo>(),
                FaultMessageTypes = new[] { $"urn:message:{typeof(T).Namespace}:{typeof(T).Name}" },
            }, deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            Assert.Fail($"{user} could not publish Fault<{typeof(T).Name}> within 30 s: the broker refused its exchange or binding, which MassTransit retries until then");
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    // Debian's own Python (python3 on PATH may be another, without python3-pika), as an outside publisher runs it.
    private async Task<JsonElement> PikaAsync(string kind, string argument)
    {
        var start = new System.Diagnostics.ProcessStartInfo("/usr/bin/python3", [Path.Combine(AppContext.BaseDirectory, "Publishers", "request_retrain.py"), kind, argument])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["AMQP_PORT"] = $"{Broker.Node.AmqpPort}",
                ["AMQP_VHOST"] = broker.VirtualHost,
                ["AMQP_USER"] = "retrainer",
                ["AMQP_PASSWORD"] = KubernetesBrokerUsers.Password("retrainer"),
            },
        };
        using var python = System.Diagnostics.Process.Start(start)!;
        var output = python.StandardOutput.ReadToEndAsync();
        var error = python.StandardError.ReadToEndAsync();
        await python.WaitForExitAsync();
        Assert.True(python.ExitCode == 0, $"the pika publisher failed: {await error}");
        return JsonDocument.Parse(await output).RootElement;
    }

    // A kept version not among those kept before, once the gate has settled on it.
    private async Task<JsonElement> NewVersionJudgedAsync(HashSet<string> before)
    {
        JsonElement found = default;
        await Poll.Until(async () =>
        {
            var view = await broker.Http.GetFromJsonAsync<JsonElement>("/models");
            found = view.GetProperty("versions").EnumerateArray().FirstOrDefault(v => !before.Contains(v.GetProperty("version").GetString()!)
                && v.GetProperty("promotion") is { ValueKind: JsonValueKind.Object } verdict && !verdict.GetProperty("pending").GetBoolean());
            return found.ValueKind == JsonValueKind.Object;
        }, "a new version trained and judged by the gate", TimeSpan.FromSeconds(180), broker.Trainer);
        return found;
    }

    private async Task<HashSet<string>> VersionsAsync() =>
        (await broker.Http.GetFromJsonAsync<JsonElement>("/models")).GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetString()!).ToHashSet();

    private async Task DeclareAsync(string exchange)
    {
        await using var admin = await ConnectAsync("admin");
        await using var setup = await admin.CreateChannelAsync();
        await setup.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true);
    }

    private Task<IConnection> ConnectAsync(string user) => new ConnectionFactory
    {
        HostName = "127.0.0.1",
        Port = Broker.Node.AmqpPort,
        VirtualHost = broker.VirtualHost,
        UserName = user,
        Password = KubernetesBrokerUsers.Password(user),
    }.CreateConnectionAsync();

    private Task<string?> CurrentVersionAsync() => broker.Http.CurrentVersionAsync();
}
