using System.Text.Json;
using MnistEvents.TestSupport;

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
        Assert.Equal(["admin", "gateway", "launcher", "monitoring", "predictor", "retrainer", "trainer"], users.Keys.Order());
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

    private static Dictionary<string, string> Passwords(string prefix) =>
        new[] { "admin", "gateway", "predictor", "trainer", "launcher", "monitoring", "retrainer" }.ToDictionary(u => $"{u.ToUpperInvariant()}_PASSWORD", u => $"{prefix}-{u}");
}
