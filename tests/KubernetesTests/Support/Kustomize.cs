using System.Collections.Concurrent;
using System.Diagnostics;
using MnistEvents.TestSupport;

namespace MnistEvents.KubernetesTests.Support;

/// <summary>Renders a folder of k8s/ with <c>kubectl kustomize</c>, offline, as <c>kubectl apply -k</c> would before sending anything.</summary>
public static class Kustomize
{
    /// <summary>The base and every overlay: what a person can apply.</summary>
    public static readonly string[] Targets = ["k8s", "k8s/overlays/keda", "k8s/overlays/nightly", "k8s/overlays/rwx", "k8s/overlays/self-retrain"];

    private static readonly ConcurrentDictionary<string, Lazy<string>> Cache = new();

    public static string Kubectl { get; } =
        new[] { "/usr/bin/kubectl", "/usr/local/bin/kubectl" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException(
            "kubectl is not on this machine (looked in /usr/bin and /usr/local/bin): the manifest tests render k8s/ with `kubectl kustomize`, which works offline.");

    public static string Render(string target) => Cache.GetOrAdd(target, t => new Lazy<string>(() => Run(t))).Value;

    private static string Run(string target)
    {
        var start = new ProcessStartInfo(Kubectl) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("kustomize");
        start.ArgumentList.Add(Path.Combine(Repository.Root, target));
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"kubectl kustomize {target} failed ({process.ExitCode}): {error}");
        return output.Result;
    }
}
