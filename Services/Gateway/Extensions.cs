using System.Text.Json.Serialization;
using MassTransit;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Grpc.AspNetCore.Server;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MnistEvents.Gateway.AsyncPredictions;
using MnistEvents.Gateway.Feedback;
using MnistEvents.Gateway.Models;
using MnistEvents.Gateway.OpenInference;
using MnistEvents.Gateway.Predictions;
using MnistEvents.Gateway.Problems;
using MnistEvents.Gateway.RateLimiting;
using MnistEvents.Gateway.Realtime;
using MnistEvents.Gateway.Replicas;
using MnistEvents.Gateway.Lifecycle;
using MnistEvents.Contracts;
using MnistEvents.Registry;
using MnistEvents.ServiceDefaults.Bus;

namespace MnistEvents.Gateway;

public static class Extensions
{
    // Room for the multipart framing around the largest accepted image; anything bigger is a 413 before it is read.
    private const long FramingAllowance = 64 * 1024;

    /// <summary>The gateway, the way in: upload limits, decode slots, per-client rate limits, the predictor request client, the replica registry, corrections, the controller's lifecycle reports and its request clients, problem+json errors, OpenAPI.</summary>
    public static IHostApplicationBuilder AddGateway(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<GatewayOptions>, RenamedGatewaySettings>();
        builder.AddModelVolume();
        builder.Services.AddOptions<FormOptions>().Configure<IOptions<GatewayOptions>>((form, gateway) =>
            form.MultipartBodyLengthLimit = gateway.Value.MaxUploadBytes + FramingAllowance);
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<GatewayOptions>>((kestrel, gateway) =>
            kestrel.Limits.MaxRequestBodySize = gateway.Value.MaxUploadBytes + FramingAllowance);
        // Malformed bodies reach the exception handler, which says what was wrong, instead of an empty 400.
        builder.Services.Configure<RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);

        builder.Services.AddSingleton<DecodeSlots>();
        builder.Services.AddClientRateLimits();
        builder.Services.AddSingleton<ReplicaRegistry>();
        builder.Services.AddSingleton<ModelCatalog>();
        // One board per process: in the all-in-one the controller's, fed by the same reports, is this one.
        builder.Services.TryAddSingleton(sp => new ShadowBoard(TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<GatewayOptions>>().Value.ReplicaExpirySeconds),
            sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<PredictionCoalescer>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PredictionCoalescer>());
        builder.Services.AddHostedService<ModelsBroadcaster>();
        builder.Services.AddSingleton<FeedbackEvaluation>();
        builder.Services.AddSingleton<LifecycleReports>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<OipInference>();
        builder.Services.AddSingleton<OipAsyncRequests>();
        builder.Services.AddOptions<OipOptions>().BindConfiguration(OipOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddGrpc();
        builder.Services.AddOptions<GrpcServiceOptions>().Configure<IOptions<GatewayOptions>>((grpc, gateway) =>
            grpc.MaxReceiveMessageSize = (int)Math.Min(int.MaxValue, gateway.Value.MaxUploadBytes + FramingAllowance));
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<OipOptions>>((kestrel, oip) =>
            GrpcPort.Open(kestrel, builder.Configuration, oip.Value.GrpcPort));
        builder.Services.AddExceptionHandler<GatewayExceptionHandler>();
        // First in line: problem details services ask their writers in order, and /v2 answers in the protocol's own form.
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IProblemDetailsWriter, OipErrorWriter>());
        builder.Services.AddSignalR();
        builder.Services.AddSingleton<AsyncResultLog>();
        builder.Services.AddSingleton<AsyncPredictionStore>();
        builder.Services.AddHostedService<AsyncResultSweeper>();
        builder.Services.AddSingleton<Subscriptions>();
        // The document's servers would be built from the request's Host header, which any client sets: there are none.
        builder.Services.AddOpenApi(openApi => openApi.AddDocumentTransformer((document, _, _) =>
        {
            document.Servers?.Clear();
            return Task.CompletedTask;
        }));
        // A number is a JSON number: "0.5" for a rate or "7" for a label is a 400 that names the field, not read as one.
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.NumberHandling = JsonNumberHandling.Strict);

        builder.AddBusRegistration(x =>
        {
            x.AddConsumer<ReplicaEventsConsumer>(typeof(ReplicaEventsConsumerDefinition));
            x.AddConsumer<AsyncResultConsumer>(typeof(AsyncResultConsumerDefinition));
            x.AddConsumer<AsyncResultRecorder>(typeof(AsyncResultRecorderDefinition));
            x.AddConsumer<BroadcastConsumer>(typeof(BroadcastConsumerDefinition));
            x.AddConsumer<LifecycleReportsConsumer>(typeof(LifecycleReportsConsumerDefinition));
            // Lifecycle commands are the controller's: the gateway passes them on and reports its answer.
            x.AddRequestClient<RequestRetrain>(QueueNames.Address(QueueNames.RequestRetrain));
            x.AddRequestClient<ActivateModel>(QueueNames.Address(QueueNames.LifecycleCommands));
            x.AddRequestClient<ShadowModel>(QueueNames.Address(QueueNames.LifecycleCommands));
            x.AddRequestClient<ReviewCorrection>(QueueNames.Address(QueueNames.LifecycleCommands));
        });
        return builder;
    }

    /// <summary>The HTTP API: the seed's routes, async predictions and the SignalR hub, retraining, corrections, the model view, the Open Inference Protocol's REST routes, the OpenAPI document, and problem+json for every error (the protocol's own form on /v2).</summary>
    public static WebApplication MapGateway(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages(WriteStatusProblemAsync);
        app.UseRateLimiter();
        app.MapOpenApi();
        app.MapPredictionEndpoints();
        app.MapAsyncPredictionEndpoints();
        app.MapRetrainEndpoints();
        app.MapFeedbackEndpoints();
        app.MapModelEndpoints();
        app.MapOipEndpoints();
        app.MapGrpcService<OipGrpcService>();
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
            // Routing answers a body type no endpoint accepts before any endpoint runs, so the words cover every route.
            StatusCodes.Status415UnsupportedMediaType =>
                $"Content-Type '{http.Request.ContentType ?? "(none)"}' is not accepted by {http.Request.Method} {http.Request.Path}: "
                + "JSON bodies need application/json, images multipart/form-data or image/*; /openapi/v1.json describes each route.",
            _ => null,
        };
        return http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = http.Response.StatusCode, Detail = detail },
        }).AsTask();
    }
}
