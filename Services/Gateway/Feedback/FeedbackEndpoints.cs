using MnistEvents.Gateway.AsyncPredictions;
using MnistEvents.Gateway.Clients;
using MnistEvents.Gateway.Problems;
using MnistEvents.Gateway.RateLimiting;
using MnistEvents.Registry;

namespace MnistEvents.Gateway.Feedback;

public static class FeedbackEndpoints
{
    public static IEndpointRouteBuilder MapFeedbackEndpoints(this IEndpointRouteBuilder app)
    {
        // Each correction needs a prediction of its own, so corrections share the client's prediction rate.
        app.MapPost("/feedback", RecordAsync)
            .RequireRateLimiting(ClientRateLimits.Predictions)
            .Accepts<FeedbackRequest>("application/json")
            .Produces<FeedbackSummary>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithSummary("Correct a prediction: {\"predictionId\": id from POST /predictions, \"label\": 0-9}; kept with what the model saw");

        app.MapGet("/feedback", (FeedbackEvaluation evaluation, CancellationToken cancellationToken) => evaluation.SummaryAsync(cancellationToken))
            .Produces<FeedbackSummary>()
            .WithSummary("How many corrections are kept, in all and per label, and how the served model answers the latest 200 of them");
        app.MapCorrectionReviewEndpoints();
        return app;
    }

    private static async Task<FeedbackSummary> RecordAsync(FeedbackRequest? body, AsyncPredictionStore predictions, CorrectionsLog corrections,
        TimeProvider time, HttpContext http, CancellationToken cancellationToken)
    {
        if (body?.PredictionId is not { } id)
            throw new ProblemException(StatusCodes.Status400BadRequest, "Missing prediction id",
                "Send JSON {\"predictionId\": \"<the id POST /predictions answered>\", \"label\": <0-9>}.");
        if (body.Label is not { } label || label is < 0 or > 9)
            throw new ProblemException(StatusCodes.Status400BadRequest, "Invalid label", "label must be the digit it really was, 0 to 9.");

        var prediction = predictions.Find(id)
            ?? throw new ProblemException(StatusCodes.Status404NotFound, "Unknown prediction",
                $"No prediction {id} was made here in the last {AsyncPredictionStore.Retention.TotalMinutes:0} minutes; only recent predictions can be corrected.");
        if (prediction.Result is not { } result)
            throw new ProblemException(StatusCodes.Status409Conflict, "No result yet", $"Prediction {id} has no result yet; correct it once it is answered.");

        var (outcome, kept) = await corrections.AddAsync(
            new CorrectionRecord(id, label, result.Digit, result.ModelVersion, prediction.Pixels, time.GetUtcNow(), ClientAddress.Of(http), result.Confidence),
            cancellationToken);
        return outcome switch
        {
            CorrectionOutcome.Recorded => new FeedbackSummary(kept.Count, kept.PerLabel),
            CorrectionOutcome.AlreadyCorrected => throw new ProblemException(StatusCodes.Status409Conflict, "Already corrected",
                $"Prediction {id} was corrected already; each prediction takes one correction."),
            CorrectionOutcome.ClientShareFull => throw new ProblemException(StatusCodes.Status429TooManyRequests, "Corrections share used",
                $"This client has {corrections.Rules.MaxPerClient:N0} corrections kept, its share; no more are taken from it until an admin reviews or deletes some.")
            {
                RetryAfterSeconds = 3600,
            },
            _ => throw new ProblemException(StatusCodes.Status409Conflict, "Corrections full",
                $"{kept.Count:N0} corrections are kept, the configured limit; no more are taken until some are used or removed."),
        };
    }
}
