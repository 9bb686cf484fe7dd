using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using MnistEvents.Gateway;

namespace MnistEvents.AllInOne;

/// <summary>Tells the person at the console what they need once the server listens: the URL to open and the admin token.</summary>
public sealed class ConsoleGuide(IServer server, IHostApplicationLifetime lifetime, IOptions<GatewayOptions> gateway, bool tokenGenerated)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var url = server.Features.Get<IServerAddressesFeature>()?.Addresses.Select(Browsable).FirstOrDefault() ?? "http://localhost:8080";
            var token = gateway.Value.AdminToken;
            Console.WriteLine($"""

                MnistEvents is up. Open {url} in a browser to draw or upload digits.
                  API:   curl -F file=@digit.png {url}/prediction
                  Admin token: {(tokenGenerated ? $"{token}  (generated for this run; set Gateway__AdminToken to choose one)" : "as set in Gateway__AdminToken")}

                """);
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // Kestrel reports the address it bound (0.0.0.0, [::], *); a person opens localhost.
    private static string Browsable(string address)
    {
        var uri = new UriBuilder(address.Replace("://+", "://localhost").Replace("://*", "://localhost"));
        if (uri.Host is "0.0.0.0" or "[::]" or "::") uri.Host = "localhost";
        return uri.Uri.GetLeftPart(UriPartial.Authority);
    }
}
