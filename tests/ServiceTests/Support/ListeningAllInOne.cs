using System.Net;
using System.Net.Sockets;
using MnistEvents.TestSupport;

namespace MnistEvents.ServiceTests.Support;

/// <summary>
/// The all-in-one as ./run.sh starts it, a real process on a loopback port serving the seed's model: for what only real
/// sockets show (Kestrel's own refusals, clients told apart by their addresses). Its decode line is short (1 MB of
/// uploads waiting), so a flood of photos fills it.
/// </summary>
public sealed class ListeningAllInOne : IAsyncLifetime
{
    public ServiceProcess Process { get; private set; } = null!;

    public Uri Url => Process.Url!;

    public async Task InitializeAsync()
    {
        var work = TestData.TempDirectory();
        Process = ServiceProcess.OnFreePort("all-in-one", "AllInOne", [], new Dictionary<string, string>
        {
            ["ModelVolume__ModelPath"] = Models.SeedCopy(work),
            ["Trainer__DataDirectory"] = Path.Combine(Repository.Root, "data", "mnist"),
            ["Gateway__MaxQueuedDecodeMegabytes"] = "1",
            ["Gateway__PredictionRequestsPerSecondPerClient"] = "0",
        }, work);
        Process.Start();
        await Process.WaitReadyAsync();
    }

    public Task DisposeAsync()
    {
        Process.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>An HTTP client whose connections come from <paramref name="address"/> (any 127.x.y.z is this machine's loopback).</summary>
    public HttpClient ClientFrom(string address) => LoopbackClients.From(address, Url, TimeSpan.FromSeconds(60));

    /// <summary>Sends <paramref name="request"/> as raw bytes on a connection of its own and reads until the server closes it.</summary>
    public async Task<string> RawAsync(byte[] request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, Url.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(request);
        using var answer = new MemoryStream();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await stream.CopyToAsync(answer, patience.Token);
        return System.Text.Encoding.UTF8.GetString(answer.ToArray());
    }
}
