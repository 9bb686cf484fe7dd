using System.Diagnostics;
using System.Net;

namespace MnistEvents.TestSupport;

/// <summary>One service running as its own OS process (its built apphost), with its output kept in a log file.</summary>
public sealed class ServiceProcess : IDisposable
{
    private readonly ProcessStartInfo start;
    private Process? process;

    public ServiceProcess(string name, string executable, IEnumerable<string> arguments, IDictionary<string, string> environment, string logDirectory)
    {
        Name = name;
        LogPath = Path.Combine(logDirectory, $"{name}.log");
        start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(executable)!,
        };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        foreach (var (k, v) in environment) start.Environment[k] = v;
    }

    /// <summary>A built service of this checkout (<c>Services/{project}</c>) set to listen on a free loopback port; not started yet.</summary>
    public static ServiceProcess OnFreePort(string name, string project, IEnumerable<string> arguments, IDictionary<string, string> environment, string logDirectory)
    {
        var url = new Uri($"http://127.0.0.1:{Repository.FreePort()}");
        environment["ASPNETCORE_URLS"] = url.ToString();
        // A gateway's gRPC port too (the others ignore it): never the default 8001, which two at once would share.
        var grpcPort = Repository.FreePort();
        environment["OpenInference__GrpcPort"] = grpcPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new ServiceProcess(name, Repository.ServiceExecutable(project), arguments, environment, logDirectory)
        {
            Url = url, GrpcUrl = new Uri($"http://127.0.0.1:{grpcPort}"),
        };
    }

    public string Name { get; }

    public string LogPath { get; }

    /// <summary>Where the service listens (its ASPNETCORE_URLS), for the readiness probe.</summary>
    public Uri? Url { get; init; }

    /// <summary>Where a gateway serves the Open Inference Protocol's gRPC service (HTTP/2 cleartext).</summary>
    public Uri? GrpcUrl { get; init; }

    public bool Running => process is { HasExited: false };

    /// <summary>The running process's id, for reading /proc.</summary>
    public int ProcessId => process?.Id ?? throw new InvalidOperationException($"{Name} is not started");

    public void Start()
    {
        var log = new StreamWriter(LogPath, append: true) { AutoFlush = true };
        process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.Exited += (_, _) => { lock (log) log.WriteLine($"[exited with {process.ExitCode}]"); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>SIGKILL: no shutdown, no acknowledgements: what a crash looks like to the broker.</summary>
    public void Kill()
    {
        if (process is { HasExited: false }) process.Kill(entireProcessTree: true);
        process?.WaitForExit(10_000);
    }

    /// <summary>SIGSTOP, then SIGCONT on dispose of the result: the process is frozen in between, holding what it holds.</summary>
    public IDisposable Freeze()
    {
        Signal("STOP");
        return new Thaw(() => Signal("CONT"));
    }

    private void Signal(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, ProcessId.ToString()]);
        kill.WaitForExit();
    }

    private sealed class Thaw(Action thaw) : IDisposable
    {
        public void Dispose() => thaw();
    }

    /// <summary>Waits for <c>/healthz/ready</c> to answer 200; fails at once, with its log, if the process exits.</summary>
    public async Task WaitReadyAsync(TimeSpan? timeout = null)
    {
        var url = Url ?? throw new InvalidOperationException($"{Name} has no Url to probe");
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await Poll.Until(async () =>
        {
            if (!Running) throw new InvalidOperationException($"{Name} exited:\n{Tail()}");
            try
            {
                return (await probe.GetAsync(new Uri(url, "/healthz/ready"))).StatusCode == HttpStatusCode.OK;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Refused while it binds, or slower than the probe's 2 s while it starts under load: not ready yet.
                return false;
            }
        }, $"{Name} ready", timeout ?? TimeSpan.FromSeconds(90), this);
    }

    /// <summary>The last <paramref name="count"/> warnings and errors the service logged, and its bus's connection news, each on one line.</summary>
    public IEnumerable<string> Problems(int count)
    {
        if (!File.Exists(LogPath)) return [];
        var lines = File.ReadLines(LogPath).ToList();
        var problems = new List<string>();
        for (var i = 0; i < lines.Count; i++)
        {
            // The console logger writes "warn: Category[0]" and, on the next line, the message and then any exception.
            // MassTransit says at info when it retries a connection and when its bus starts: how a reconnection went.
            if (lines[i].StartsWith("warn:") || lines[i].StartsWith("fail:") || lines[i].StartsWith("crit:") || lines[i].StartsWith("info: MassTransit"))
                problems.Add($"{lines[i]} {(i + 1 < lines.Count ? lines[i + 1].Trim() : "")}");
            else if (lines[i].StartsWith("[exited")) problems.Add(lines[i]);
        }
        return problems.TakeLast(count);
    }

    public string Tail(int lines = 40) =>
        File.Exists(LogPath) ? string.Join('\n', File.ReadLines(LogPath).TakeLast(lines)) : "(no log)";

    public void Dispose() => Kill();
}
