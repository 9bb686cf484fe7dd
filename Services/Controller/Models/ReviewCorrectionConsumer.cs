using MassTransit;
using MnistEvents.Contracts;
using MnistEvents.Registry;

namespace MnistEvents.Controller.Models;

/// <summary>
/// An admin's verdict on a correction, which decides whether the next training may learn from it: kept beside the
/// corrections (the trust rules read it), and answered with the verdict, or a refusal when no such correction is kept.
/// </summary>
public sealed class ReviewCorrectionConsumer(CorrectionsLog corrections, TimeProvider time, ILogger<ReviewCorrectionConsumer> logger) : IConsumer<ReviewCorrection>
{
    public async Task Consume(ConsumeContext<ReviewCorrection> context)
    {
        var (id, verdict, by) = (context.Message.PredictionId, context.Message.Verdict, context.Message.RequestedBy);
        var kind = verdict switch
        {
            ReviewCorrection.Accepted => CorrectionVerdict.Accepted,
            ReviewCorrection.Rejected => CorrectionVerdict.Rejected,
            ReviewCorrection.Deleted => CorrectionVerdict.Deleted,
            _ => (CorrectionVerdict?)null,
        };
        if (kind is not { } known)
        {
            await context.RespondAsync(new LifecycleCommandRefused(LifecycleCommandRefused.Invalid,
                $"'{verdict}' is no verdict: {ReviewCorrection.Accepted}, {ReviewCorrection.Rejected} or {ReviewCorrection.Deleted}."));
            return;
        }
        if (!await corrections.ReviewAsync(new CorrectionReview(id, known, by, time.GetUtcNow()), context.CancellationToken))
        {
            await context.RespondAsync(new LifecycleCommandRefused(LifecycleCommandRefused.NotFound,
                $"No correction of prediction {id} is kept (GET /feedback/corrections lists them)."));
            return;
        }
        logger.LogInformation("Correction of prediction {PredictionId} {Verdict}, by {RequestedBy}", id, verdict, by);
        await context.RespondAsync(new CorrectionReviewed(id, verdict));
    }
}
