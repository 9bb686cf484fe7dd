using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;

namespace MnistEvents.Web;

public static class Extensions
{
    /// <summary>The forwarder to the gateway (YARP), its address from <c>Web:GatewayUrl</c>.</summary>
    public static IHostApplicationBuilder AddGatewayProxy(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebOptions>().BindConfiguration(WebOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddReverseProxy();
        builder.Services.AddSingleton(sp => GatewayRoutes.Provider(sp.GetRequiredService<IOptions<WebOptions>>().Value));
        return builder;
    }

    /// <summary>Forwards the API routes and the hub; a gateway that cannot be reached is a problem+json that says so.</summary>
    public static WebApplication MapGatewayProxy(this WebApplication app)
    {
        app.UseStatusCodePages(async context =>
        {
            var http = context.HttpContext;
            var status = http.Response.StatusCode;
            var gateway = http.RequestServices.GetRequiredService<IOptions<WebOptions>>().Value.GatewayUrl;
            await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails =
                {
                    Status = status,
                    Detail = status is StatusCodes.Status502BadGateway or StatusCodes.Status504GatewayTimeout
                        ? $"The API gateway ({gateway}) did not answer; try again shortly."
                        : status == StatusCodes.Status404NotFound ? $"There is no {http.Request.Path} here." : null,
                },
            });
        });
        app.MapReverseProxy();
        return app;
    }
}
