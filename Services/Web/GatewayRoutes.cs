using Yarp.ReverseProxy.Configuration;

namespace MnistEvents.Web;

/// <summary>The gateway's routes this service forwards, so the browser talks to one origin: the API and the SignalR hub (WebSockets included).</summary>
public static class GatewayRoutes
{
    private const string Cluster = "gateway";

    // Only what the UI and API clients use: the gateway's own /metrics and health endpoints stay private to it.
    public static readonly IReadOnlyList<string> Paths =
    [
        "/", "/prediction", "/predictions/{**rest}", "/models/{**rest}", "/retrain", "/feedback/{**rest}", "/hubs/{**rest}", "/openapi/{**rest}",
        "/v2/{**rest}",
    ];

    public static IProxyConfigProvider Provider(WebOptions options) => new InMemoryConfigProvider(
        Paths.Select((path, i) => new RouteConfig { RouteId = $"gateway-{i}", ClusterId = Cluster, Match = new RouteMatch { Path = path } }).ToArray(),
        [new ClusterConfig { ClusterId = Cluster, Destinations = new Dictionary<string, DestinationConfig> { ["gateway"] = new() { Address = options.GatewayUrl } } }]);
}
