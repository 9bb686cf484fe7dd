using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using MnistEvents.Contracts;
using MnistEvents.TestSupport;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

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
        // Another system following the lifecycle as the watcher user, with pika alone: bound before the request.
        using var watcher = Python("follow_lifecycle.py", ["300"], "watcher", stdin: true);
        Assert.Equal("{\"ready\": true}", await watcher.StandardOutput.ReadLineAsync());
        using var retrain = new HttpRequestMessage(HttpMethod.Post, "/retrain")
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", broker.AdminToken) },
            // A small real subset, served regardless of the promotion gate: the round trip, not the accuracy. Shadowed
            // first, so the controller starts the shadowing and settles it, as its own user.
            Content = JsonContent.Create(new { epochs = 1, limit = 1000, promoteRegardless = true, shadowPredictions = 5 }),
        };
        var accepted = await broker.Http.SendAsync(retrain);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var trainingId = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trainingId").GetString();
        await watcher.StandardInput.WriteLineAsync(trainingId);
        await watcher.StandardInput.FlushAsync();
        await Poll.Until(async () =>
        {
            await broker.Http.PostAsync("/prediction", Uploads.Form(Uploads.DigitPng(2)));
            return await CurrentVersionAsync() is { } now && now != before;
        }, "the retrained model shadowed, then served", TimeSpan.FromSeconds(120), broker.Trainer);

        Assert.All(broker.Services, s => Assert.DoesNotContain("ACCESS_REFUSED", File.ReadAllText(s.LogPath)));
        var heard = await FollowedAsync(watcher);
        var ours = heard.Where(e => e.GetProperty("message").TryGetProperty("trainingId", out var id) && id.GetString() == trainingId)
            .Select(e => e.GetProperty("type").GetString()).ToList();
        // Each caused by the one before it, so heard in this order whoever published it (the trainer, then the controller).
        Assert.Equal(["TrainingStarted", "ModelSaved", "CandidateJudged", "ModelActivated", "RetrainSettled"],
            ours.Where(t => t is not ("TrainingProgressed" or "TrainingCompleted" or "PromotionDecided")).ToList());
        var settled = heard.Last().GetProperty("message");
        Assert.Equal(("promoted", await CurrentVersionAsync()), (settled.GetProperty("outcome").GetString(), settled.GetProperty("version").GetString()));
    }

    [Fact]
    public async Task TheWatcherMayPublishNothingNotEvenARetrainRequest()
    {
        foreach (var message in new[] { nameof(ModelActivated), nameof(RetrainSettled) }) await DeclareAsync($"{typeof(ModelSaved).Namespace}:{message}");

        var request = await PikaAsync("plain", """{"epochs": 1}""", "watcher");
        var activation = await PikaAsync("other", $"{typeof(ModelSaved).Namespace}:{nameof(ModelActivated)}", "watcher");
        var settled = await PikaAsync("other", $"{typeof(ModelSaved).Namespace}:{nameof(RetrainSettled)}", "watcher");

        Assert.All(new[] { request, activation, settled }, outcome =>
            Assert.Equal(("refused", 403), (outcome.GetProperty("result").GetString(), outcome.GetProperty("code").GetInt32())));
    }

    public static TheoryData<string, string> ForeignPublications => new()
    {
        { "gateway", nameof(ModelSaved) },
        { "gateway", nameof(ModelActivated) },
        { "gateway", nameof(RetrainSettled) },
        { "gateway", nameof(TrainingStarted) },
        { "gateway", nameof(ShadowReported) },
        { "gateway", nameof(TrainingCompleted) },
        { "gateway", nameof(DigitBatchPredicted) },
        { "predictor", nameof(ModelSaved) },
        { "predictor", nameof(ModelActivated) },
        { "predictor", nameof(ShadowStarted) },
        { "predictor", nameof(TrainingProgressed) },
        { "trainer", nameof(DigitBatchPredicted) },
        { "trainer", nameof(ModelActivated) },
        { "trainer", nameof(PromotionDecided) },
        { "trainer", nameof(RetrainSettled) },
        { "trainer", nameof(ModelLoaded) },
        { "trainer", nameof(ShadowReported) },
        { "launcher", nameof(ModelSaved) },
        { "launcher", nameof(ModelActivated) },
        { "launcher", nameof(TrainingCompleted) },
        { "controller", nameof(ModelSaved) },
        { "controller", nameof(CandidateJudged) },
        { "controller", nameof(DigitBatchPredicted) },
        { "controller", nameof(TrainingStarted) },
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

        // The broker closes the channel on a refused publish; the client says so as an interruption (or, if the close
        // arrived first, as the channel already closed, which is one too) carrying the broker's reason.
        var refused = await Assert.ThrowsAnyAsync<OperationInterruptedException>(async () =>
            await channel.BasicPublishAsync(exchange, "", mandatory: false, new BasicProperties(), "{}"u8.ToArray()));

        Assert.Equal((ushort?)403, refused.ShutdownReason?.ReplyCode);
        Assert.Contains("ACCESS_REFUSED", refused.ShutdownReason?.ReplyText);
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
        await PublishFaultAsync<StartTraining>("trainer");
        await PublishFaultAsync<StartTraining>("launcher");
        await PublishFaultAsync<RequestRetrain>("controller");
        await PublishFaultAsync<CandidateJudged>("controller");
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

    private async Task<JsonElement> PikaAsync(string kind, string argument, string user = "retrainer")
    {
        using var python = Python("request_retrain.py", [kind, argument], user);
        var output = python.StandardOutput.ReadToEndAsync();
        var error = python.StandardError.ReadToEndAsync();
        await python.WaitForExitAsync();
        Assert.True(python.ExitCode == 0, $"the pika publisher failed: {await error}");
        return JsonDocument.Parse(await output).RootElement;
    }

    // Every event the follower printed, once it has exited at the training's RetrainSettled.
    private static async Task<List<JsonElement>> FollowedAsync(System.Diagnostics.Process follower)
    {
        var output = await follower.StandardOutput.ReadToEndAsync();
        var error = await follower.StandardError.ReadToEndAsync();
        await follower.WaitForExitAsync();
        Assert.True(follower.ExitCode == 0, $"the pika follower heard no RetrainSettled for its training: {error}\n{output}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
    }

    // Debian's own Python (python3 on PATH may be another, without python3-pika), as an outside client runs it, as a k8s/ broker user.
    private System.Diagnostics.Process Python(string script, string[] arguments, string user, bool stdin = false) =>
        System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/usr/bin/python3", [Path.Combine(AppContext.BaseDirectory, "Publishers", script), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin,
            Environment =
            {
                ["AMQP_PORT"] = $"{Broker.Node.AmqpPort}",
                ["AMQP_VHOST"] = broker.VirtualHost,
                ["AMQP_USER"] = user,
                ["AMQP_PASSWORD"] = KubernetesBrokerUsers.Password(user),
            },
        })!;

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
