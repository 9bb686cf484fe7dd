using MassTransit;
using Microsoft.Extensions.Options;
using MnistEvents.Contracts;
using MnistEvents.Gateway.Lifecycle;
using MnistEvents.Gateway.Models;
using MnistEvents.Gateway.Problems;
using MnistEvents.Gateway.RateLimiting;
using MnistEvents.Registry;

namespace MnistEvents.Gateway.Feedback;

/// <summary>
/// An admin's review of people's corrections (bearer token, the admin allowance): list them with the standing the trust
/// rules give each (<see cref="CorrectionTrust"/>, as the next training will see them), and accept, reject or delete one,
/// which the controller records (it decides what trainings learn from).
/// </summary>
public static class CorrectionReviewEndpoints
{
    public const int MaxListed = 500;

    public static IEndpointRouteBuilder MapCorrectionReviewEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/feedback/corrections", ListAsync)
            .RequireRateLimiting(ClientRateLimits.Admin)
            .Produces<CorrectionsList>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithSummary("The kept corrections, newest first, each with its standing (trusted or refused, and why) and what the model saw (bearer token); ?standing=trusted|refused, ?client=, ?limit= (at most 500)");
        Reviewed(app.MapPost("/feedback/corrections/{id:guid}/accept", Review(ReviewCorrection.Accepted)), StatusCodes.Status200OK)
            .WithSummary("Trust a correction (bearer token): trained on even where the rules hold it back");
        Reviewed(app.MapPost("/feedback/corrections/{id:guid}/reject", Review(ReviewCorrection.Rejected)), StatusCodes.Status200OK)
            .WithSummary("Never train on a correction (bearer token)");
        Reviewed(app.MapDelete("/feedback/corrections/{id:guid}", Review(ReviewCorrection.Deleted)), StatusCodes.Status204NoContent)
            .WithSummary("Delete a correction (bearer token): no longer trained on, listed, or counted against its client's share");
        return app;
    }

    private static async Task<CorrectionsList> ListAsync(HttpRequest request, CorrectionsLog corrections, IOptions<GatewayOptions> options,
        string? standing = null, string? client = null, int? limit = null)
    {
        AdminToken.Authorize(request, options.Value.AdminToken, "Reviewing corrections");
        if (standing is not (null or "trusted" or "refused"))
            throw new ProblemException(StatusCodes.Status400BadRequest, "Invalid standing", "standing is 'trusted' or 'refused' (or left out for both).");
        if (limit is < 1 or > MaxListed)
            throw new ProblemException(StatusCodes.Status400BadRequest, "Invalid limit", $"limit is how many to list, 1 to {MaxListed}.");

        // Reading the whole file (twice: the standings, then the pixels of those listed) is the admin's cost, off the request thread.
        return await Task.Run(() =>
        {
            var reviews = corrections.ReadReviews();
            var judged = corrections.JudgeStandings(reviews);
            var listed = judged.Trusted.Select(r => (Record: r, Refusal: (RefusedCorrection?)null))
                .Concat(judged.Refused.Select(r => (r.Record, Refusal: (RefusedCorrection?)r)))
                .Where(c => standing is null || (c.Refusal is null ? "trusted" : "refused") == standing)
                .Where(c => client is null || CorrectionTrust.Client(c.Record) == client)
                .OrderByDescending(c => c.Record.CorrectedAt)
                .Take(limit ?? 100)
                .ToList();
            var pixels = corrections.PixelsOf(listed.Select(c => c.Record.PredictionId).ToHashSet());
            var views = listed.Select(c => View(c.Record, c.Refusal, reviews, pixels.GetValueOrDefault(c.Record.PredictionId, []))).ToList();
            return new CorrectionsList(judged.Trusted.Count + judged.Refused.Count, judged.Trusted.Count, judged.Refused.Count,
                judged.RefusedBy().ToDictionary(r => Name(r.Key), r => r.Value), views);
        });
    }

    private static RouteHandlerBuilder Reviewed(RouteHandlerBuilder route, int success) => route
        .RequireRateLimiting(ClientRateLimits.Admin)
        .Produces(success)
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status429TooManyRequests)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    private static Func<Guid, HttpRequest, IOptions<GatewayOptions>, IRequestClient<ReviewCorrection>, CancellationToken, Task<IResult>> Review(string verdict) =>
        (id, request, options, controller, cancellationToken) => ReviewAsync(id, verdict, request, options, controller, cancellationToken);

    // The verdict decides what the next training may learn from: the controller's to record.
    private static async Task<IResult> ReviewAsync(Guid id, string verdict, HttpRequest request, IOptions<GatewayOptions> options,
        IRequestClient<ReviewCorrection> controller, CancellationToken cancellationToken)
    {
        AdminToken.Authorize(request, options.Value.AdminToken, "Reviewing corrections");
        var by = $"an admin at {request.HttpContext.Connection.RemoteIpAddress}";
        var answer = await ControllerAnswer.Of(() => controller.GetResponse<CorrectionReviewed, LifecycleCommandRefused>(new ReviewCorrection(id, verdict, by),
            cancellationToken, options.Value.ControllerTimeout), options.Value);
        if (answer.Is(out Response<LifecycleCommandRefused>? refused))
            throw new ProblemException(StatusCodes.Status404NotFound, "No such correction", refused.Message.Reason);
        return verdict == ReviewCorrection.Deleted ? Results.NoContent() : Results.Ok(new { predictionId = id, review = verdict });
    }

    private static CorrectionView View(CorrectionRecord record, RefusedCorrection? refusal, IReadOnlyDictionary<Guid, CorrectionReview> reviews, byte[] pixels) =>
        new(record.PredictionId, record.Label, record.Predicted, record.Confidence, record.ModelVersion, CorrectionTrust.Client(record), record.CorrectedAt,
            refusal is null ? "trusted" : "refused", refusal is null ? null : Name(refusal.Reason), refusal?.Detail,
            reviews.TryGetValue(record.PredictionId, out var review) ? Name(review.Verdict) : null, pixels);

    private static string Name<T>(T value) where T : struct, Enum => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
}
