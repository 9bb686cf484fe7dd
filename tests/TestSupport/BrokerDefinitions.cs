using System.Diagnostics;
using System.Text.Json;

namespace MnistEvents.TestSupport;

/// <summary>k8s/base/rabbitmq/render-definitions.sh run as the broker pod's init container runs it: template and passwords in, definitions out.</summary>
public static class BrokerDefinitions
{
    public static readonly string Folder = Path.Combine(Repository.Root, "k8s", "base", "rabbitmq");

    /// <param name="passwords">The init container's environment: <c>GATEWAY_PASSWORD</c> and the rest.</param>
    public static (int Code, string Error) Render(string output, IReadOnlyDictionary<string, string> passwords)
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(Folder, "render-definitions.sh"));
        start.Environment["DEFINITIONS_TEMPLATE"] = Path.Combine(Folder, "definitions.template.json");
        start.Environment["DEFINITIONS"] = output;
        foreach (var (k, v) in passwords) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, error.Result);
    }

    /// <summary>What k8s/'s definitions let <paramref name="user"/> do: its configure, write and read patterns.</summary>
    public static (string Configure, string Write, string Read) Permissions(string user)
    {
        using var template = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "definitions.template.json")));
        var entry = template.RootElement.GetProperty("permissions").EnumerateArray().Single(p => p.GetProperty("user").GetString() == user);
        return (entry.GetProperty("configure").GetString()!, entry.GetProperty("write").GetString()!, entry.GetProperty("read").GetString()!);
    }
}
