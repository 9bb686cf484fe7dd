using MassTransit;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using MnistEvents.Gateway.Predictions;
using MnistEvents.Gateway.Problems;
using MnistEvents.Gateway.Realtime;
using MnistEvents.Gateway.Replicas;
using MnistEvents.Gateway.Retraining;
using MnistEvents.Imaging;
using MnistEvents.ServiceDefaults.Bus;

namespace MnistEvents.Gateway;

public static class Extensions
{
    /// <summary>The gateway: upload limits, preprocessing, the predictor request client, the replica registry, problem+json errors, OpenAPI.</summary>
    public static IHostApplicationBuilder AddGateway(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(GatewayOptions.Section);
        var options = section.Get<GatewayOptions>() ?? new GatewayOptions();
        builder.Services.Configure<GatewayOptions>(section);

        builder.Services.AddSingleton(new DigitPreprocessor(new ImageLimits { MaxBytes = options.MaxUploadBytes, MaxPixels = options.MaxPixels }));
        builder.Services.AddSingleton<ReplicaRegistry>();
        builder.Services.AddSingleton<PredictionCoalescer>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PredictionCoalescer>());
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddExceptionHandler<GatewayExceptionHandler>();
        builder.Services.AddSignalR();
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<AsyncPredictionStore>();
        builder.Services.AddOpenApi();

        // Room for the multipart framing around the largest accepted image; anything bigger is a 413 before it is read.
        var bodyLimit = options.MaxUploadBytes + 64 * 1024;
        builder.Services.Configure<FormOptions>(form => form.MultipartBodyLengthLimit = bodyLimit);
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = bodyLimit);

        builder.AddBusRegistration(x =>
        {
            x.AddConsumer<ReplicaEventsConsumer>(typeof(ReplicaEventsConsumerDefinition));
            x.AddConsumer<AsyncResultConsumer>(typeof(AsyncResultConsumerDefinition));
            x.AddConsumer<BroadcastConsumer>(typeof(BroadcastConsumerDefinition));
        });
        return builder;
    }

    /// <summary>The HTTP API: the seed's routes, async predictions and the SignalR hub, retraining, the model view, the OpenAPI document, and problem+json for every error.</summary>
    public static WebApplication MapGateway(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages(WriteStatusProblemAsync);
        app.MapOpenApi();
        app.MapPredictionEndpoints();
        app.MapAsyncPredictionEndpoints();
        app.MapRetrainEndpoints();
        app.MapGet("/models", (ReplicaRegistry registry) => registry.View())
            .WithSummary("The model most replicas serve, and what each live replica serves");
        return app;
    }

    // Errors raised by routing itself (unknown path, wrong method, a body type no endpoint accepts) get a detail too.
    private static Task WriteStatusProblemAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var detail = http.Response.StatusCode switch
        {
            StatusCodes.Status404NotFound => $"There is no {http.Request.Path}; the API is described at /openapi/v1.json.",
            StatusCodes.Status405MethodNotAllowed => $"{http.Request.Method} is not allowed on {http.Request.Path}.",
            StatusCodes.Status415UnsupportedMediaType =>
                $"Content-Type '{http.Request.ContentType ?? "(none)"}' is not accepted: send multipart/form-data with the image in field 'file', or the image itself with an image/* Content-Type.",
            _ => null,
        };
        return http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = http.Response.StatusCode, Detail = detail },
        }).AsTask();
    }
}
