using System.Text.Json;
using System.Text.RegularExpressions;
using MnistEvents.Contracts;
using MnistEvents.TestSupport;
using MnistEvents.Trainer.Cli;

namespace MnistEvents.KubernetesTests;

/// <summary>The broker's init container renders its users from the Secret with the script k8s/ ships: run it here as the pod would.</summary>
public class BrokerDefinitionsTests
{
    [Fact]
    public void EveryUserGetsItsPasswordFromTheSecretAndTheResultIsJson()
    {
        var output = Path.Combine(TestData.TempDirectory(), "definitions.json");

        var (code, _) = BrokerDefinitions.Render(output, Passwords("pw"));

        Assert.Equal(0, code);
        var users = JsonDocument.Parse(File.ReadAllText(output)).RootElement.GetProperty("users").EnumerateArray()
            .ToDictionary(u => u.GetProperty("name").GetString()!, u => u.GetProperty("password").GetString());
        Assert.Equal(["admin", "controller", "gateway", "launcher", "monitoring", "predictor", "retrainer", "trainer", "watcher"], users.Keys.Order());
        Assert.All(users, u => Assert.Equal($"pw-{u.Key}", u.Value));
    }

    [Fact]
    public void APasswordThatWouldBreakTheJsonIsRefusedNamingIt()
    {
        var passwords = Passwords("pw");
        passwords["GATEWAY_PASSWORD"] = "bad\"password";

        var (code, error) = BrokerDefinitions.Render(Path.Combine(TestData.TempDirectory(), "definitions.json"), passwords);

        Assert.Equal(1, code);
        Assert.Contains("GATEWAY_PASSWORD", error);
    }

    [Fact]
    public void TheRetrainerMayReadTheEventsRequestRetrainFollowsAndNoneOfTheOthers()
    {
        var retrainer = BrokerDefinitions.Permissions("retrainer");
        bool May(string permission, string resource) =>
            Regex.IsMatch(resource, permission switch { "configure" => retrainer.Configure, "write" => retrainer.Write, _ => retrainer.Read });
        var followed = RetrainWatch.Events.Select(RetrainBroker.ExchangeOf).ToHashSet();
        var others = typeof(ModelSaved).Assembly.GetExportedTypes().Select(RetrainBroker.ExchangeOf).Where(e => !followed.Contains(e)).ToList();

        Assert.All(followed, e => Assert.True(May("read", e), $"the retrainer cannot bind to {e}"));
        Assert.All(others, e => Assert.False(May("read", e), $"the retrainer may read {e}"));
        Assert.All(followed.Concat(others), e => Assert.False(May("configure", e) || May("write", e), $"the retrainer may declare, delete or publish to {e}"));
        Assert.True(May("write", "request-retrain"));
        // Its own queues are the ones the broker names; the system's queues are not for it to read, declare or delete.
        Assert.True(May("configure", "amq.gen-JzTY20BRgKO-HjmUJj0wLg") && May("read", "amq.gen-JzTY20BRgKO-HjmUJj0wLg"));
        Assert.All(new[] { "request-retrain", "predict-digit-batch", "gateway-events", "request-retrain_error", "amq.default" },
            q => Assert.False(May("configure", q) || May("read", q), $"the retrainer may configure or read {q}"));
    }

    [Fact]
    public void TheWatcherMayBindAQueueOfItsOwnToTheLifecycleEventsAndPublishNothing()
    {
        var watcher = BrokerDefinitions.Permissions("watcher");
        bool May(string permission, string resource) =>
            Regex.IsMatch(resource, permission switch { "configure" => watcher.Configure, "write" => watcher.Write, _ => watcher.Read });
        string[] lifecycle = ["TrainingStarted", "TrainingProgressed", "TrainingCompleted", "TrainingFailed", "RetrainRejected", "ModelSaved", "CandidateJudged",
            "PromotionDecided", "ModelActivated", "ShadowStarted", "ShadowStopped", "RetrainSettled"];
        var events = lifecycle.Select(e => $"MnistEvents.Contracts:{e}").ToHashSet();
        var others = typeof(ModelSaved).Assembly.GetExportedTypes().Select(RetrainBroker.ExchangeOf).Where(e => !events.Contains(e)).ToList();

        Assert.All(events, e => Assert.True(May("read", e), $"the watcher cannot bind to {e}"));
        Assert.All(others, e => Assert.False(May("read", e), $"the watcher may read {e}"));
        Assert.All(events.Concat(others).Append("request-retrain").Append("lifecycle-commands").Append("start-training"),
            e => Assert.False(May("configure", e) || May("write", e), $"the watcher may declare, delete or publish to {e}"));
        var own = "amq.gen-JzTY20BRgKO-HjmUJj0wLg";
        Assert.True(May("configure", own) && May("write", own) && May("read", own));
    }

    [Fact]
    public void TheMonitoringUserMayReadTheQueuesFiguresOnTheVirtualHostAndTouchNoResource()
    {
        // The management API answers a user's GET of a queue only on a virtual host it has permissions on: without an
        // entry KEDA's queries were refused (401) and the predictors never scaled. Read on the queue would let it
        // consume predictions, so its entry allows no resource at all.
        var monitoring = BrokerDefinitions.Permissions("monitoring");
        string[] resources = ["predict-digit-batch", "request-retrain", "retrain-state", "lifecycle-commands", "amq.gen-JzTY20BRgKO-HjmUJj0wLg",
            "MnistEvents.Contracts:ModelSaved", "amq.default"];

        Assert.Equal(("^$", "^$", "^$"), monitoring);
        Assert.All(resources, r => Assert.False(Regex.IsMatch(r, monitoring.Read) || Regex.IsMatch(r, monitoring.Write) || Regex.IsMatch(r, monitoring.Configure)));
    }

    private static Dictionary<string, string> Passwords(string prefix) =>
        new[] { "admin", "gateway", "predictor", "trainer", "launcher", "controller", "monitoring", "retrainer", "watcher" }.ToDictionary(u => $"{u.ToUpperInvariant()}_PASSWORD", u => $"{prefix}-{u}");
}
