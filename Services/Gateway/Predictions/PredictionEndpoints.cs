using System.Diagnostics;
using MnistEvents.Gateway.Clients;

namespace MnistEvents.Gateway.Predictions;

public static class PredictionEndpoints
{
    public static IEndpointRouteBuilder MapPredictionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Results.Json(new { error = "use POST /prediction instead of root route" }))
            .WithSummary("The seed's root route: points at POST /prediction");

        app.MapPost("/prediction", PredictAsync)
            .TakesUploads()
            .Accepts<IFormFile>("multipart/form-data", "image/png", "image/jpeg", "image/gif", "image/bmp", "image/webp")
            .Produces<PredictionResponse>()
            .WithSummary("Classify one image (form field 'file', or an image/* body) and wait for the answer");
        return app;
    }

    private static async Task<PredictionResponse> PredictAsync(HttpRequest request, DecodeSlots decoder,
        PredictionCoalescer predictors, TimeProvider time, CancellationToken cancellationToken)
    {
        var arrived = time.GetUtcNow();
        var clock = Stopwatch.StartNew();
        var upload = await UploadReader.ReadAsync(request, decoder.Limits.MaxBytes, cancellationToken);
        var digit = await decoder.PreprocessAsync(upload, ClientAddress.Of(request.HttpContext), cancellationToken);
        var answer = await predictors.PredictAsync(digit.Pixels, arrived, cancellationToken);
        return PredictionResponse.From(answer, digit.Pixels, digit.Warnings, clock.Elapsed.TotalMilliseconds);
    }
}
