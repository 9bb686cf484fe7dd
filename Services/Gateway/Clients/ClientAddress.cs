using System.Net;
using System.Net.Sockets;

namespace MnistEvents.Gateway.Clients;

/// <summary>
/// Who a request comes from, for every per-client limit and share (rates, the async results store, corrections) and
/// for the client a correction is recorded under: the connection's address, or, through a trusted proxy (Services/Web,
/// an ingress: ServiceDefaults' <c>Proxies:Trusted</c>), the address it forwarded; for IPv6, its /64, since one host is
/// handed a whole /64 and could otherwise be a new client per request.
/// </summary>
public static class ClientAddress
{
    public static string Of(HttpContext http) => Of(http.Connection.RemoteIpAddress);

    public static string Of(IPAddress? address)
    {
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6 || IPAddress.IsLoopback(address)) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return $"{new IPAddress(bytes)}/64";
    }
}
