using System.Net;
using System.Net.Sockets;

namespace MnistEvents.TestSupport;

/// <summary>HTTP clients told apart by their address, as a gateway tells clients apart: any 127.x.y.z is this machine's loopback.</summary>
public static class LoopbackClients
{
    /// <summary>A client of <paramref name="baseAddress"/> whose connections come from <paramref name="address"/>.</summary>
    public static HttpClient From(string address, Uri baseAddress, TimeSpan timeout) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Parse(address), 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    }) { BaseAddress = baseAddress, Timeout = timeout };
}
