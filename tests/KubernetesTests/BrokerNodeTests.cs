using System.Diagnostics;
using k8s.Models;
using MnistEvents.KubernetesTests.Support;
using MnistEvents.TestSupport;

namespace MnistEvents.KubernetesTests;

/// <summary>
/// The broker's pod as RabbitMQ's Cluster Operator lays one out: its data alone on its volume, the Erlang cookie copied
/// owner-only from a Secret into a home no mount changes, and the memory the node may use taken from its container's
/// limit. The init container's script runs here as the pod runs it.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class BrokerNodeTests
{
    private const string Home = "/var/lib/rabbitmq";

    [Fact]
    public void TheCookieComesFromItsSecretOwnerOnlyIntoAHomeThatIsNotTheVolume()
    {
        var broker = Manifests.Of("k8s").Workloads().Single(w => w.Name == "rabbitmq");
        var node = broker.Pod.Containers.Single(c => c.Name == "rabbitmq");
        var setup = broker.Pod.InitContainers.Single();

        // The claimed volume holds the node's data only; its home is an emptyDir in both containers.
        Assert.Equal(["data"], broker.ClaimTemplates);
        Assert.Equal($"{Home}/mnesia", node.VolumeMounts.Single(m => m.Name == "data").MountPath);
        var home = node.VolumeMounts.Single(m => m.MountPath == Home).Name;
        Assert.NotNull(broker.Pod.Volumes.Single(v => v.Name == home).EmptyDir);
        Assert.Contains(setup.VolumeMounts, m => m.Name == home && m.MountPath == Home);
        Assert.DoesNotContain(setup.VolumeMounts, m => m.Name == "data");
        var cookie = broker.Pod.Volumes.Single(v => v.Secret is not null);
        Assert.StartsWith("rabbitmq-erlang-cookie-", cookie.Secret.SecretName);
        Assert.Equal("OnRootMismatch", broker.Pod.SecurityContext.FsGroupChangePolicy);

        var (code, output, files) = RunSetup(memoryLimit: "1073741824", cookie: "a-cookie-from-the-secret");

        Assert.True(code == 0, output);
        var written = Path.Combine(files.Home, ".erlang.cookie");
        Assert.Equal("a-cookie-from-the-secret", File.ReadAllText(written));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(written));
    }

    [Theory]
    [InlineData("1073741824", 858993460L)] // the base's 1 GiB limit: a fifth kept for the runtime
    [InlineData("17179869184", 15032385536L)] // 16 GiB: at most 2 GiB kept
    public void TheNodesMemoryIsItsContainersLimitLessTheRuntimesHeadroom(string memoryLimit, long usable)
    {
        var broker = Manifests.Of("k8s").Workloads().Single(w => w.Name == "rabbitmq");
        var limit = broker.Pod.InitContainers.Single().Env.Single(e => e.Name == "MEMORY_LIMIT").ValueFrom.ResourceFieldRef;

        var (code, output, files) = RunSetup(memoryLimit, cookie: "c");

        Assert.Equal(("rabbitmq", "limits.memory"), (limit.ContainerName, limit.Resource));
        Assert.True(code == 0, output);
        Assert.Equal($"total_memory_available_override_value = {usable}\n", File.ReadAllText(Path.Combine(files.ConfD, "30-memory.conf")));
        // This deployment's own configuration is read from the same folder.
        Assert.Equal(File.ReadAllText(Path.Combine(BrokerDefinitions.Folder, "20-mnist.conf")), File.ReadAllText(Path.Combine(files.ConfD, "20-mnist.conf")));
    }

    [Fact]
    public void AMemoryLimitThatIsNotANumberOfBytesStopsThePodSayingSo()
    {
        var (code, output, _) = RunSetup(memoryLimit: "1Gi", cookie: "c");

        Assert.Equal(1, code);
        Assert.Contains("MEMORY_LIMIT must be a number of bytes", output);
    }

    private static (int Code, string Output, (string Home, string ConfD) Files) RunSetup(string memoryLimit, string cookie)
    {
        var root = TestData.TempDirectory();
        var (home, confD, secret) = (Path.Combine(root, "home"), Path.Combine(root, "conf.d"), Path.Combine(root, "erlang-cookie"));
        Directory.CreateDirectory(home);
        Directory.CreateDirectory(confD);
        File.WriteAllText(secret, cookie);
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(BrokerDefinitions.Folder, "setup-node.sh"));
        start.Environment["RABBITMQ_HOME"] = home;
        start.Environment["RABBITMQ_CONF_D"] = confD;
        start.Environment["ERLANG_COOKIE_SOURCE"] = secret;
        start.Environment["CONFIG"] = BrokerDefinitions.Folder;
        start.Environment["MEMORY_LIMIT"] = memoryLimit;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result + error, (home, confD));
    }
}
