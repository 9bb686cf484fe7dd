using Microsoft.Extensions.Configuration;
using MnistEvents.ServiceDefaults.Retraining;
using MnistEvents.TestSupport;
using MnistEvents.Trainer.Cli;

namespace MnistEvents.UnitTests.Trainer;

/// <summary>What the command says before any broker answers; the round trip itself is in the RabbitMQ suite (RetrainCommandTests).</summary>
public class RequestRetrainCommandTests
{
    private static async Task<(int Code, string Output, string Error)> RunAsync(string[] args, Dictionary<string, string?> settings)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await RequestRetrainCommand.RunAsync(args, new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task WithoutTheBrokerConfiguredItSaysHowAndThatTheEmbeddedDefaultIsAskedOverHttp()
    {
        var (code, _, error) = await RunAsync(["--wait"], []);

        Assert.Equal(TrainerExitCodes.BadUsage, code);
        Assert.Contains("set Bus__Transport=RabbitMQ", error);
        Assert.Contains("POST /retrain", error);
    }

    [Fact]
    public async Task ABrokerThatIsNotThereIsAFailureThatSaysSo()
    {
        var (code, output, error) = await RunAsync(["--wait"], new()
        {
            ["Bus:Transport"] = "RabbitMQ",
            ["Bus:RabbitMQ:Host"] = "127.0.0.1",
            ["Bus:RabbitMQ:Port"] = Repository.FreePort().ToString(),
        });

        Assert.Equal((int)RetrainOutcome.Failed, code);
        Assert.StartsWith("request-retrain: cannot reach the broker", error);
        Assert.DoesNotContain("Asked for training", output);
    }
}
