using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using MnistEvents.Contracts;
using MnistEvents.Gateway.AsyncPredictions;
using MnistEvents.Gateway.Predictions;
using MnistEvents.Gateway.Problems;
using MnistEvents.Imaging;
using MnistEvents.Registry;

namespace MnistEvents.Gateway.OpenInference;

/// <summary>
/// Durable async inference (<c>Prefer: respond-async</c>), on the async predictions' own path: each digit is an async
/// prediction (<see cref="AsyncPredictionStore"/>, the client's share, the durable results log), handed to the broker
/// before the 202; the request itself (its digits in order, the outputs asked for) is one small file on the volume, so
/// any gateway instance, or this one restarted, answers for it until the retention ends. A request naming a live
/// SignalR subscription gets its whole response pushed (<see cref="HubMessage"/>) once its last digit is answered.
/// </summary>
public sealed class OipAsyncRequests(ModelVolume volume, AsyncPredictionStore store, PredictionCoalescer predictors, OipInference oip,
    IOptions<GatewayOptions> options, TimeProvider time)
{
    public const string HubMessage = "inferred";

    private readonly ConcurrentDictionary<Guid, Push> pushes = new();
    private readonly ConcurrentDictionary<Guid, (Guid Request, int Index)> requestOfDigit = new();

    private string Directory => Path.Combine(volume.AsyncResultsDirectory, "requests");

    public static string Location(Guid id) => $"/v2/models/{OipModel.Name}/requests/{id}";

    /// <param name="connection">The SignalR connection to push the response to, if the request named a live subscription.</param>
    public async Task<OipAsyncAccepted> SubmitAsync(OipInferRequest request, string client, string? connection, DateTimeOffset arrived,
        CancellationToken cancellationToken)
    {
        var count = request.Digits.Count;
        store.EnsureShare(client, count);
        var pixels = await oip.PixelsAsync(request.Digits, client, cancellationToken);
        var digits = Enumerable.Range(0, count).Select(_ => Guid.NewGuid()).ToArray();
        var kept = new OipAsyncRequest(Guid.NewGuid(), request.Id, request.Version, digits, [.. request.Outputs], time.GetUtcNow());
        Save(kept);
        // Kept before they are sent, so no result can arrive for a prediction the store does not know; pushed whole, not digit by digit.
        store.Accepted(digits.Select((id, i) => (id, pixels.AsSpan(i * DigitImage.PixelCount, DigitImage.PixelCount).ToArray(), (IReadOnlyList<string>)[])).ToList(),
            connectionId: null, client);
        if (connection is not null)
        {
            pushes[kept.Id] = new Push(connection, kept, new DigitPredicted?[count]);
            for (var i = 0; i < digits.Length; i++) requestOfDigit[digits[i]] = (kept.Id, i);
        }
        var sends = predictors.SubmitAll(digits.Select((id, i) => (id, (ReadOnlyMemory<byte>)pixels.AsMemory(i * DigitImage.PixelCount, DigitImage.PixelCount))).ToList(),
            arrived, cancellationToken, request.Version);
        try
        {
            // Accepted means handed to the broker: a request the broker did not take whole is refused, not left pending.
            await Task.WhenAll(sends);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Forget(kept);
            throw e as ProblemException ?? new ProblemException(StatusCodes.Status503ServiceUnavailable, "No predictor available",
                $"The broker did not take the request within {options.Value.PredictionTimeoutSeconds:0.#} s: {e.Message}") { RetryAfterSeconds = 5 };
        }
        return new OipAsyncAccepted(kept.Id, "pending", Location(kept.Id), connection is not null);
    }

    /// <summary>The kept request and each digit's result so far (null while pending); null when it is unknown, expired, or a digit is gone.</summary>
    public (OipAsyncRequest Request, DigitPredicted?[] Results)? Find(Guid id)
    {
        if (Read(id) is not { } kept || time.GetUtcNow() - kept.AcceptedAt > AsyncPredictionStore.Retention) return null;
        var results = new DigitPredicted?[kept.Digits.Length];
        for (var i = 0; i < results.Length; i++)
        {
            if (store.Find(kept.Digits[i]) is not { } prediction) return null;
            results[i] = prediction.Result;
        }
        return (kept, results);
    }

    /// <summary>The responses this instance owes a push for that <paramref name="results"/> completed, with the connection each goes to.</summary>
    public List<(string Connection, OipInferenceResponse Response)> Completed(IEnumerable<DigitPredicted> results)
    {
        var done = new List<(string, OipInferenceResponse)>();
        foreach (var result in results)
        {
            if (!requestOfDigit.TryRemove(result.RequestId, out var owed) || !pushes.TryGetValue(owed.Request, out var push)) continue;
            var requestId = owed.Request;
            lock (push)
            {
                push.Results[owed.Index] = result;
                if (push.Results.Any(r => r is null) || !pushes.TryRemove(requestId, out _)) continue;
            }
            done.Add((push.Connection, OipInference.Respond(push.Request.RequestId, push.Request.Outputs, push.Results!)));
        }
        return done;
    }

    /// <summary>Deletes kept requests past their retention and forgets pushes owed for them.</summary>
    public void Sweep()
    {
        var oldest = time.GetUtcNow() - AsyncPredictionStore.Retention;
        foreach (var (id, push) in pushes)
            if (push.Request.AcceptedAt < oldest) Forget(push.Request);
        if (!System.IO.Directory.Exists(Directory)) return;
        foreach (var file in new DirectoryInfo(Directory).EnumerateFiles("*.json"))
            if (file.LastWriteTimeUtc < oldest.UtcDateTime) file.Delete();
    }

    // Atomically, as every small file on the volume: a reader finds the whole request or none.
    private void Save(OipAsyncRequest request)
    {
        System.IO.Directory.CreateDirectory(Directory);
        RegistryFiles.WriteJson(PathOf(request.Id), request);
    }

    private OipAsyncRequest? Read(Guid id)
    {
        try
        {
            return RegistryFiles.Read<OipAsyncRequest>(PathOf(id));
        }
        catch (Exception e) when (e is FileNotFoundException or RegistryException)
        {
            // Swept between the look and the read, or not a request of ours: unknown either way.
            return null;
        }
    }

    private void Forget(OipAsyncRequest request)
    {
        pushes.TryRemove(request.Id, out _);
        foreach (var digit in request.Digits) requestOfDigit.TryRemove(digit, out _);
        File.Delete(PathOf(request.Id));
    }

    private string PathOf(Guid id) => Path.Combine(Directory, $"{id:N}.json");

    private sealed record Push(string Connection, OipAsyncRequest Request, DigitPredicted?[] Results);
}
