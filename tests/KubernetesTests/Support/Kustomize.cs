using System.Collections.Concurrent;
using System.Diagnostics;
using MnistEvents.TestSupport;

namespace MnistEvents.KubernetesTests.Support;

/// <summary>
/// Renders a folder of k8s/ with <c>kubectl kustomize</c>, offline, as <c>kubectl apply -k</c> would before sending
/// anything. The repository holds no secret, so what is rendered is a copy of k8s/ prepared as a person deploying
/// prepares theirs: <c>k8s/secrets.sh</c> run in it first.
/// </summary>
public static class Kustomize
{
    /// <summary>The components k8s/ ships, each a folder of k8s/components.</summary>
    public static readonly string[] Components = [.. Directory.EnumerateDirectories(Path.Combine(Repository.Root, "k8s", "components"))
        .Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    /// <summary>
    /// What a person can apply: the base, every example, and the base with every combination of the components (each a
    /// folder of the prepared copy's k8s/compositions, written as a person composing them would write it).
    /// </summary>
    public static readonly string[] Targets =
    [
        "k8s",
        .. Directory.EnumerateDirectories(Path.Combine(Repository.Root, "k8s", "examples")).Select(d => $"k8s/examples/{Path.GetFileName(d)}").Order(StringComparer.Ordinal),
        .. Combinations().Select(c => $"k8s/compositions/{string.Join('+', c)}"),
    ];

    public const string SecretsFolder = "base/run-k8s-secrets.sh-first";

    private static readonly ConcurrentDictionary<string, Lazy<string>> Cache = new();
    private static readonly Lazy<string> Deployed = new(() => Prepare());

    public static string Kubectl { get; } =
        new[] { "/usr/bin/kubectl", "/usr/local/bin/kubectl" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException(
            "kubectl is not on this machine (looked in /usr/bin and /usr/local/bin): the manifest tests render k8s/ with `kubectl kustomize`, which works offline.");

    /// <summary>The target rendered from the one prepared copy every test reads.</summary>
    public static string Render(string target) => Cache.GetOrAdd(target, t => new Lazy<string>(() => RenderIn(Deployed.Value, t))).Value;

    /// <summary>
    /// A fresh copy of k8s/ with its own secrets written by <c>k8s/secrets.sh</c>, changed by <paramref name="change"/>
    /// (given the copy's k8s/ folder) before anything is rendered from it.
    /// </summary>
    public static string Prepare(Action<string>? change = null)
    {
        var copy = Path.Combine(TestData.TempDirectory(), "k8s");
        Copy(Path.Combine(Repository.Root, "k8s"), copy);
        var (code, output) = Run("/bin/sh", Path.Combine(copy, "secrets.sh"));
        if (code != 0) throw new InvalidOperationException($"k8s/secrets.sh failed ({code}): {output}");
        foreach (var combination in Combinations())
        {
            var folder = Directory.CreateDirectory(Path.Combine(copy, "compositions", string.Join('+', combination))).FullName;
            File.WriteAllText(Path.Combine(folder, "kustomization.yaml"), $"""
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                namespace: mnist
                labels:
                  - pairs:
                      app.kubernetes.io/part-of: mnistevents
                resources:
                  - ../../base
                components:
                {string.Concat(combination.Select(c => $"  - ../../components/{c}\n"))}
                """);
        }
        change?.Invoke(copy);
        return copy;
    }

    // Every non-empty set of the components, in the order they are listed.
    private static IEnumerable<string[]> Combinations() =>
        Enumerable.Range(1, (1 << Components.Length) - 1).Select(mask => Components.Where((_, i) => (mask & (1 << i)) != 0).ToArray());

    /// <summary><paramref name="target"/> (a path starting with k8s) rendered from the prepared copy <paramref name="copy"/>.</summary>
    public static string RenderIn(string copy, string target)
    {
        var folder = Path.Combine(copy, Path.GetRelativePath("k8s", target));
        var (code, output, error) = RunSplit(Kubectl, "kustomize", folder);
        if (code != 0) throw new InvalidOperationException($"kubectl kustomize {target} failed ({code}): {error}");
        return output;
    }

    /// <summary>What <c>kubectl kustomize</c> says about <paramref name="folder"/>: its exit code and its error.</summary>
    public static (int Code, string Error) TryRender(string folder)
    {
        var (code, _, error) = RunSplit(Kubectl, "kustomize", folder);
        return (code, error);
    }

    public static (int Code, string Output) Run(string file, params string[] arguments)
    {
        var (code, output, error) = RunSplit(file, arguments);
        return (code, output + error);
    }

    private static (int Code, string Output, string Error) RunSplit(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error);
    }

    // The repository's k8s/ as committed: secrets a developer wrote into their own checkout stay out of the copy.
    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
            if (!file.EndsWith(".env", StringComparison.Ordinal)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var directory in Directory.EnumerateDirectories(from)) Copy(directory, Path.Combine(to, Path.GetFileName(directory)));
    }
}
