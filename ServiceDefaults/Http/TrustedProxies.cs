using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MnistEvents.ServiceDefaults.Http;

/// <summary>
/// Makes the client of a request that came through a trusted proxy (<see cref="ProxiesOptions"/>) the address that proxy
/// forwarded, before anything reads the connection's address. Walks a chain (an ingress, then Services/Web) back to the
/// first address no trusted proxy vouches for; what an untrusted peer writes in the header changes nothing.
/// </summary>
public static class TrustedProxies
{
    public static WebApplication UseTrustedProxies(this WebApplication app)
    {
        var networks = app.Services.GetRequiredService<IOptions<ProxiesOptions>>().Value.Networks();
        // Nobody to believe: no middleware, nothing added to a request's path.
        if (networks.Count == 0) return app;
        // ASP.NET believes loopback unless told otherwise; here only what the deployment names is believed.
        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor, ForwardLimit = null };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var network in networks) options.KnownIPNetworks.Add(network);
        app.UseForwardedHeaders(options);
        return app;
    }
}
