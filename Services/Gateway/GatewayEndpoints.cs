namespace MnistEvents.Gateway;

/// <summary>The gateway's HTTP API; the seed's root route for now, predictions arrive with the event pipeline.</summary>
public static class GatewayEndpoints
{
    public static WebApplication MapGatewayEndpoints(this WebApplication app)
    {
        app.MapGet("/", () => Results.Json(new { error = "use POST /prediction instead of root route" }));
        return app;
    }
}
