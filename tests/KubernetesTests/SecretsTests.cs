using System.Text;
using k8s.Models;
using MnistEvents.KubernetesTests.Support;
using MnistEvents.TestSupport;

namespace MnistEvents.KubernetesTests;

/// <summary>
/// No secret in git: the Secrets come from git-ignored files that <c>k8s/secrets.sh</c> writes with fresh random values,
/// and kustomize refuses to render without them, naming what to run.
/// </summary>
public class SecretsTests
{
    private static readonly string[] SecretNames = ["broker-credentials", "rabbitmq-erlang-cookie", "gateway-secrets"];

    [Fact]
    public void WithoutItsSecretsNothingRendersAndTheErrorNamesTheScriptToRun()
    {
        var copy = Kustomize.Prepare();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(copy, Kustomize.SecretsFolder), "*.env")) File.Delete(file);

        var (code, error) = Kustomize.TryRender(copy);

        Assert.NotEqual(0, code);
        Assert.Contains("run-k8s-secrets.sh-first", error);
        Assert.True(File.Exists(Path.Combine(copy, "secrets.sh")));
    }

    [Fact]
    public void EachDeploymentGetsItsOwnRandomSecretsWrittenOnceAndKeptAfter()
    {
        var first = Secrets(Manifests.Of("k8s"));
        var copy = Kustomize.Prepare();
        var second = Secrets(Manifests.In(copy, "k8s"));
        var (code, output) = Kustomize.Run("/bin/sh", Path.Combine(copy, "secrets.sh"));
        var again = Secrets(Manifests.In(copy, "k8s"));

        Assert.Equal(0, code);
        Assert.Equal(3, output.Split('\n').Count(l => l.StartsWith("kept ", StringComparison.Ordinal)));
        Assert.Equal(second, again);
        var random = first.Where(s => s.Key != "broker-credentials/monitoring-username").ToList();
        Assert.Equal(11, random.Count);
        Assert.All(random, s =>
        {
            Assert.NotEqual(s.Value, second[s.Key]);
            // Letters and digits, as the broker's definitions need, and long enough not to be guessed.
            Assert.Matches("^[A-Za-z0-9]{32,}$", s.Value);
        });
        Assert.Equal("monitoring", first["broker-credentials/monitoring-username"]);
    }

    [Fact]
    public void NoCommittedFileHoldsASecret()
    {
        var (code, files) = Kustomize.Run("git", "-C", Repository.Root, "ls-files", "k8s");
        Assert.Equal(0, code);
        var committed = files.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var values = Secrets(Manifests.Of("k8s")).Values.Where(v => v.Length >= 32).ToList();

        Assert.Equal(["k8s/base/run-k8s-secrets.sh-first/.gitignore"], committed.Where(f => f.Contains(Kustomize.SecretsFolder)));
        Assert.All(committed, file =>
        {
            var text = File.ReadAllText(Path.Combine(Repository.Root, file));
            Assert.DoesNotContain("change-me", text);
            Assert.DoesNotMatch(@"(?m)^\s*-\s*[a-z-]*(password|token|cookie)=", text);
            Assert.All(values, v => Assert.DoesNotContain(v, text));
        });
    }

    // Every key of the generated Secrets, as "secret/key", with its value.
    private static Dictionary<string, string> Secrets(Manifests manifests) =>
        SecretNames.SelectMany(name => manifests.GeneratedSecret(name).Data.Select(d => (Key: $"{name}/{d.Key}", Value: Encoding.UTF8.GetString(d.Value))))
            .ToDictionary(p => p.Key, p => p.Value);
}
