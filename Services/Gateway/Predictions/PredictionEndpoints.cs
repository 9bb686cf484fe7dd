using System.Diagnostics;
using MnistEvents.Imaging;

namespace MnistEvents.Gateway.Predictions;

public static class PredictionEndpoints
{
    public static IEndpointRouteBuilder MapPredictionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Results.Json(new { error = "use POST /prediction instead of root route" }))
            .WithSummary("The seed's root route: points at POST /prediction");

        app.MapPost("/prediction", PredictAsync)
            .DisableAntiforgery()
            .Accepts<IFormFile>("multipart/form-data", "image/png", "image/jpeg", "image/gif", "image/bmp", "image/webp")
            .Produces<PredictionResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Classify one image (form field 'file', or an image/* body) and wait for the answer");
        return app;
    }

    private static async Task<PredictionResponse> PredictAsync(HttpRequest request, DigitPreprocessor preprocessor,
        PredictionCoalescer predictors, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var upload = await UploadReader.ReadAsync(request, preprocessor.Limits.MaxBytes, cancellationToken);
        var digit = preprocessor.Preprocess(upload);
        return PredictionResponse.From(await predictors.PredictAsync(digit.Pixels), digit.Pixels, clock.Elapsed.TotalMilliseconds);
    }
}
