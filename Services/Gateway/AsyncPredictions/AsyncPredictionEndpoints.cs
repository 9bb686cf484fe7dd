using Microsoft.Extensions.Options;
using MnistEvents.Gateway.Clients;
using MnistEvents.Gateway.Predictions;
using MnistEvents.Gateway.Problems;
using MnistEvents.Gateway.Realtime;
using MnistEvents.Imaging;

namespace MnistEvents.Gateway.AsyncPredictions;

public static class AsyncPredictionEndpoints
{
    public const string SubscriptionField = "subscription";

    public static IEndpointRouteBuilder MapAsyncPredictionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapHub<PredictionsHub>(PredictionsHub.Path);

        app.MapPost("/predictions", SubmitAsync)
            .TakesUploads()
            .Accepts<IFormFileCollection>("multipart/form-data")
            .Produces<AsyncSubmission>(StatusCodes.Status202Accepted)
            .WithSummary($"Submit one or more images; 202 with an id each at once, results pushed over SignalR ({PredictionsHub.Path}) to the connection whose 'subscribe' key is in form field '{SubscriptionField}'");

        app.MapGet("/predictions/{id:guid}", (Guid id, AsyncPredictionStore store) => store.Find(id) is { } found
                ? AsyncPredictionView.From(found)
                : throw new ProblemException(StatusCodes.Status404NotFound, "Unknown prediction",
                    $"No prediction {id} was accepted here in the last {AsyncPredictionStore.Retention.TotalMinutes:0} minutes."))
            .Produces<AsyncPredictionView>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("An async prediction by id: pending, or done with its result");
        return app;
    }

    private static async Task<IResult> SubmitAsync(HttpRequest request, DecodeSlots decoder, AsyncPredictionStore store, Subscriptions subscriptions,
        PredictionCoalescer predictors, IOptions<GatewayOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var arrived = time.GetUtcNow();
        if (!request.HasFormContentType)
            throw new ProblemException(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type",
                "Send multipart/form-data with one or more image files (any field names).");
        var form = await FormReader.ReadAsync(request, cancellationToken);
        if (form.Files.Count == 0)
            throw new ProblemException(StatusCodes.Status400BadRequest, "Missing field", "The form has no files; attach one or more images.");
        if (form.Files.Count > options.Value.MaxFilesPerSubmission)
            throw new ProblemException(StatusCodes.Status413PayloadTooLarge, "Too many files",
                $"The form has {form.Files.Count} files; at most {options.Value.MaxFilesPerSubmission} are accepted at once. Send the rest in another request.");

        var client = ClientAddress.Of(request.HttpContext);
        store.EnsureShare(client, form.Files.Count);
        var connectionId = subscriptions.Connection(form[SubscriptionField].ToString());
        var items = new AsyncSubmissionItem[form.Files.Count];
        var accepted = new List<(int Index, Guid Id, DigitImage Digit)>(form.Files.Count);
        Exception? firstRefusal = null;
        for (var i = 0; i < items.Length; i++)
        {
            var file = form.Files[i];
            try
            {
                var digit = await decoder.PreprocessAsync(await UploadReader.ReadFileAsync(file, decoder.Limits.MaxBytes, cancellationToken), client, cancellationToken);
                // Random, not sequential: the id is all it takes to read the result (and what the model saw) or correct it.
                var requestId = Guid.NewGuid();
                accepted.Add((i, requestId, digit));
                items[i] = new AsyncSubmissionItem(file.FileName, requestId, "pending", null);
            }
            catch (Exception e) when (e is ImageRejectedException or ProblemException)
            {
                firstRefusal ??= e;
                items[i] = new AsyncSubmissionItem(file.FileName, null, "rejected", e.Message);
            }
        }
        // Kept before they are sent, so no result can arrive for a prediction the store does not know.
        if (accepted.Count > 0) store.Accepted(accepted.Select(a => (a.Id, a.Digit.Pixels, a.Digit.Warnings)).ToList(), connectionId, client);
        // Queued together once all are decoded, so the submission's digits reach the predictors in as few batches as the line allows.
        var sends = accepted.Zip(predictors.SubmitAll(accepted.Select(a => (a.Id, (ReadOnlyMemory<byte>)a.Digit.Pixels)).ToList(), arrived, cancellationToken),
            (a, sent) => (a.Index, Sent: sent)).ToList();
        // Accepted means handed to the broker: a digit the broker did not take is refused here, not left pending.
        foreach (var (index, sent) in sends)
        {
            try
            {
                await sent;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var refusal = e as ProblemException ?? new ProblemException(StatusCodes.Status503ServiceUnavailable, "No predictor available",
                    $"The broker did not take the digit within {options.Value.PredictionTimeoutSeconds:0.#} s: {e.Message}") { RetryAfterSeconds = 5 };
                firstRefusal ??= refusal;
                items[index] = items[index] with { Id = null, Status = "rejected", Detail = refusal.Message };
            }
        }
        // Nothing accepted: the request as a whole failed, with the first file's status and every file's reason.
        if (items.All(item => item.Id is null))
        {
            var (status, title, detail) = GatewayExceptionHandler.Describe(firstRefusal!, decoder.Limits.MaxBytes)!.Value;
            throw new ProblemException(status, title, items.Length == 1 ? detail : $"None of the {items.Length} files can be classified. {items[0].File}: {detail}")
            {
                RetryAfterSeconds = (firstRefusal as ProblemException)?.RetryAfterSeconds,
                Extensions = { ["items"] = items },
            };
        }
        return Results.Accepted(value: new AsyncSubmission(items, Pushed: connectionId is not null));
    }
}
