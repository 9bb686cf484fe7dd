using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace MnistEvents.Gateway.OpenInference;

/// <summary>
/// Opens the gRPC port beside the HTTP ones. Kestrel drops the hosting URLs (<c>--urls</c>, <c>ASPNETCORE_URLS</c>,
/// <c>ASPNETCORE_HTTP_PORTS</c>) once any endpoint is opened in code, so those are opened here too, as Kestrel would have.
/// </summary>
public static class GrpcPort
{
    public static void Open(KestrelServerOptions kestrel, IConfiguration configuration, int grpcPort)
    {
        if (grpcPort == 0) return;
        foreach (var (address, port) in HttpEndpoints(configuration))
        {
            if (address is null) kestrel.ListenLocalhost(port);
            else if (address.Equals(IPAddress.IPv6Any)) kestrel.ListenAnyIP(port);
            else kestrel.Listen(address, port);
        }
        kestrel.ListenAnyIP(grpcPort, listen => listen.Protocols = HttpProtocols.Http2);
    }

    /// <summary>The HTTP endpoints the hosting settings name; a null address is localhost (IPv4 and IPv6), <see cref="IPAddress.IPv6Any"/> every address.</summary>
    public static IEnumerable<(IPAddress? Address, int Port)> HttpEndpoints(IConfiguration configuration)
    {
        if (configuration["urls"] is { Length: > 0 } urls)
        {
            foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var binding = BindingAddress.Parse(url);
                if (!string.Equals(binding.Scheme, "http", StringComparison.OrdinalIgnoreCase))
                    throw new InvalidOperationException($"'{url}': the gateway serves plain http (TLS ends in front of it); with a gRPC port open, only http:// URLs are taken");
                yield return binding.Host switch
                {
                    "localhost" => (null, binding.Port),
                    _ when IPAddress.TryParse(binding.Host.Trim('[', ']'), out var ip) => (ip, binding.Port),
                    // "*", "+" or a host name: every address, as Kestrel itself binds them.
                    _ => (IPAddress.IPv6Any, binding.Port),
                };
            }
            yield break;
        }
        if (configuration["http_ports"] is { Length: > 0 } ports)
        {
            foreach (var port in ports.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                yield return (IPAddress.IPv6Any, int.Parse(port, System.Globalization.CultureInfo.InvariantCulture));
            yield break;
        }
        yield return (null, 5000);
    }
}
