using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using MnistEvents.TestSupport;

namespace MnistEvents.RabbitMqTests;

/// <summary>
/// <c>trainer request-retrain --wait</c> against the all-in-one on a real broker, as k8s/'s <c>retrainer</c> user: it
/// follows its training to the gate's verdict and exits as the verdict went. Small real subsets: the exit codes, not the accuracy.
/// </summary>
public class RetrainCommandTests(AllInOneOnBroker app) : IClassFixture<AllInOneOnBroker>
{
    [Fact]
    public async Task TheCommandExitsThreeWhenTheGateRefusesItsTrainingAndZeroOnceItsVersionServes()
    {
        var served = await app.Http.CurrentVersionAsync();

        // 500 images for one epoch: far too few for the gate to let the result replace the seed's model.
        var refused = await app.RequestRetrainAsync(AllInOneOnBroker.RetrainerPassword, "--epochs", "1", "--limit", "500", "--wait", "--timeout", "300");
        Assert.True(refused.Code == 3, $"exit {refused.Code}:\n{refused.Output}\n{refused.Error}\n{app.App.Tail()}");
        Assert.Matches(@"Started on all-in-one: cnn, 1 epoch\(s\) of 500 images", refused.Output);
        Assert.Contains($"The gate refused ", refused.Output);
        Assert.Contains($"{served} still serves", refused.Output);
        Assert.Equal(served, await app.Http.CurrentVersionAsync());

        var forced = await app.RequestRetrainAsync(AllInOneOnBroker.RetrainerPassword,
            "--epochs", "1", "--limit", "1000", "--promote-regardless", "--requested-by", "the RabbitMQ suite", "--wait", "--timeout", "300");
        Assert.True(forced.Code == 0, $"exit {forced.Code}:\n{forced.Output}\n{forced.Error}\n{app.App.Tail()}");
        Assert.Contains("for the RabbitMQ suite", forced.Output);
        Assert.Matches(@"Epoch 1/1, step \d+/\d+: loss", forced.Output);
        var version = Regex.Match(forced.Output, @"Saved version (\S+?),").Groups[1].Value;
        Assert.Contains($"Version {version} serves: promoted regardless, as asked", forced.Output);
        Assert.Equal(version, await app.Http.ActiveVersionAsync());
        await app.Http.UntilServedAsync(version, app.App);
        Assert.Equal("", forced.Error);
        // The version's lineage names who asked, in the command's words.
        var lineage = await app.Http.GetFromJsonAsync<JsonElement>($"/models/{version}/lineage");
        Assert.Equal("the RabbitMQ suite", lineage.GetProperty("training").GetProperty("requestedBy").GetString());
    }

    [Fact]
    public async Task CredentialsTheBrokerRefusesAreAFailureThatSaysSo()
    {
        var (code, output, error) = await app.RequestRetrainAsync("not-the-password", "--epochs", "1", "--wait");

        Assert.Equal(1, code);
        Assert.Contains("ACCESS_REFUSED", error);
        Assert.DoesNotContain("Asked for training", output);
    }
}
