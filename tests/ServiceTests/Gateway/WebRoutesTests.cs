using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using MnistEvents.ServiceTests.Support;
using MnistEvents.Web;

namespace MnistEvents.ServiceTests.Gateway;

/// <summary><c>Services/Web</c> forwards the gateway's routes by a list of its own: the list and the gateway's endpoints must agree.</summary>
public class WebRoutesTests(GatewayOnlyFactory factory) : IClassFixture<GatewayOnlyFactory>
{
    // The gateway's own operational endpoints, which stay private to it.
    private static readonly string[] Private = ["/healthz/live", "/healthz/ready", "/metrics"];

    [Fact]
    public void TheWebUiForwardsEveryGatewayRouteButHealthAndMetricsAndNothingElse()
    {
        factory.CreateClient();
        var routes = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/')).Distinct().ToArray();

        var unforwarded = routes.Where(r => !Private.Contains(r) && !GatewayRoutes.Paths.Any(p => Forwards(p, r))).ToList();
        var exposed = routes.Where(r => Private.Contains(r) && GatewayRoutes.Paths.Any(p => Forwards(p, r))).ToList();
        Assert.Empty(unforwarded);
        Assert.Empty(exposed);
        Assert.All(GatewayRoutes.Paths, p => Assert.Contains(routes, r => Forwards(p, r)));
    }

    // A forwarded path is a route exactly, or a prefix that takes whatever follows ("/models/{**rest}" takes "/models" too).
    private static bool Forwards(string path, string route) =>
        path.EndsWith("/{**rest}", StringComparison.Ordinal) is var prefix && prefix
            ? route == path[..^"/{**rest}".Length] || route.StartsWith(path[..^"{**rest}".Length], StringComparison.Ordinal)
            : route == path;
}
