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

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MnistEvents.sln"))) return dir.FullName;
        throw new InvalidOperationException("MnistEvents.sln not found above the test assembly");
    }
}
