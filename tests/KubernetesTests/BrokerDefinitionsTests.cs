using System.Diagnostics;
using System.Text.Json;
using MnistEvents.TestSupport;

namespace MnistEvents.KubernetesTests;

/// <summary>The broker's init container renders its users from the Secret with the script k8s/ ships: run it here as the pod would.</summary>
public class BrokerDefinitionsTests
{
    private static readonly string Folder = Path.Combine(Repository.Root, "k8s", "base", "rabbitmq");

    [Fact]
    public void EveryUserGetsItsPasswordFromTheSecretAndTheResultIsJson()
    {
        var output = Path.Combine(TestData.TempDirectory(), "definitions.json");

        var (code, _) = Render(output, Passwords("pw"));

        Assert.Equal(0, code);
        var users = JsonDocument.Parse(File.ReadAllText(output)).RootElement.GetProperty("users").EnumerateArray()
            .ToDictionary(u => u.GetProperty("name").GetString()!, u => u.GetProperty("password").GetString());
        Assert.Equal(["admin", "gateway", "launcher", "monitoring", "predictor", "trainer"], users.Keys.Order());
        Assert.All(users, u => Assert.Equal($"pw-{u.Key}", u.Value));
    }

    [Fact]
    public void APasswordThatWouldBreakTheJsonIsRefusedNamingIt()
    {
        var passwords = Passwords("pw");
        passwords["GATEWAY_PASSWORD"] = "bad\"password";

        var (code, error) = Render(Path.Combine(TestData.TempDirectory(), "definitions.json"), passwords);

        Assert.Equal(1, code);
        Assert.Contains("GATEWAY_PASSWORD", error);
    }

    private static Dictionary<string, string> Passwords(string prefix) =>
        new[] { "admin", "gateway", "predictor", "trainer", "launcher", "monitoring" }.ToDictionary(u => $"{u.ToUpperInvariant()}_PASSWORD", u => $"{prefix}-{u}");

    private static (int Code, string Error) Render(string output, Dictionary<string, string> passwords)
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(Folder, "render-definitions.sh"));
        start.Environment["DEFINITIONS_TEMPLATE"] = Path.Combine(Folder, "definitions.template.json");
        start.Environment["DEFINITIONS"] = output;
        foreach (var (k, v) in passwords) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, error);
    }
}
