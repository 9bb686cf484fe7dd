using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using MnistEvents.ServiceTests.Support;
using MnistEvents.Web;

namespace MnistEvents.ServiceTests.Gateway;

/// <summary>
/// <c>Services/Web</c> forwards the gateway's routes by a list of its own: the list and the gateway's endpoints must
/// agree. The Open Inference Protocol's gRPC service is not among them: it is served on the gateway's gRPC port, HTTP/2,
/// which the browser's HTTP/1.1 origin does not speak.
/// </summary>
public class WebRoutesTests(GatewayOnlyFactory factory) : IClassFixture<GatewayOnlyFactory>
{
    // The gateway's own operational endpoints, which stay private to it.
    private static readonly string[] Private = ["/healthz/live", "/healthz/ready", "/metrics"];

    private const string GrpcService = "/inference.GRPCInferenceService/";

    // gRPC's own answer to a method no service has (UNIMPLEMENTED) matches only gRPC requests, on any path.
    private static bool IsPrivate(string route) => Private.Contains(route) || route.StartsWith(GrpcService, StringComparison.Ordinal)
        || route.Contains(":grpcunimplemented}", StringComparison.Ordinal);

    [Fact]
    public void TheWebUiForwardsEveryGatewayRouteButHealthAndMetricsAndNothingElse()
    {
        factory.CreateClient();
        var routes = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/')).Distinct().ToArray();

        var unforwarded = routes.Where(r => !IsPrivate(r) && !GatewayRoutes.Paths.Any(p => Forwards(p, r))).ToList();
        var exposed = routes.Where(r => IsPrivate(r) && GatewayRoutes.Paths.Any(p => Forwards(p, r))).ToList();
        Assert.Contains(routes, r => r.StartsWith(GrpcService, StringComparison.Ordinal));
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
