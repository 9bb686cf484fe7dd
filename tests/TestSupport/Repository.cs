using System.Net;
using System.Net.Sockets;

namespace MnistEvents.TestSupport;

/// <summary>The checkout the tests run from: its root, the services built beside the tests, and free loopback ports for them.</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    // bin/{Configuration}/net10.0/: the services were built beside the tests in the same configuration.
    private static readonly string Configuration =
        new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

    /// <summary>The built apphost of <c>Services/{project}</c>.</summary>
    public static string ServiceExecutable(string project) =>
        Path.Combine(Root, "Services", project, "bin", Configuration, "net10.0", $"MnistEvents.{project}");

    /// <summary>
    /// A loopback port free now, below the kernel's ephemeral range (32768 and up): a port the kernel chose (bind to 0)
    /// could be given to any outgoing connection between here and the service's own bind, and under load that happened.
    /// Above 16000 and below 25000, clear of the fixed ports the benches and broker nodes use (5670–5692, 15672, a
    /// node's distribution port at AMQP + 20000), taken in turn from a random start so suites in parallel rarely meet.
    /// </summary>
    public static int FreePort()
    {
        for (var attempt = 0; attempt < PortRange; attempt++)
        {
            var port = FirstPort + (int)((uint)Interlocked.Increment(ref nextPort) % PortRange);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: the next one.
            }
        }
        throw new InvalidOperationException($"no free loopback port in {FirstPort}–{FirstPort + PortRange - 1}");
    }

    private const int FirstPort = 16000, PortRange = 9000;
    private static int nextPort = Random.Shared.Next(PortRange);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MnistEvents.sln"))) return dir.FullName;
        throw new InvalidOperationException("MnistEvents.sln not found above the test assembly");
    }
}
