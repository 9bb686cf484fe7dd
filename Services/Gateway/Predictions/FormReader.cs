using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using MnistEvents.Gateway.Problems;

namespace MnistEvents.Gateway.Predictions;

/// <summary>
/// Reads a multipart form, the one way the upload endpoints do, and turns what the form reader throws into a refusal
/// that says what was wrong: a body over the size limit is a 413 (the request's own length says so); anything else
/// the reader refuses (a broken boundary, a body that ends early, too many fields) is a 400 in the reader's words.
/// </summary>
public static class FormReader
{
    public static async Task<IFormCollection> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await request.ReadFormAsync(cancellationToken);
        }
        catch (Exception e) when (e is InvalidDataException or IOException && !cancellationToken.IsCancellationRequested)
        {
            var services = request.HttpContext.RequestServices;
            var limit = services.GetRequiredService<IOptions<FormOptions>>().Value.MultipartBodyLengthLimit;
            if (request.ContentLength > limit)
                throw new ProblemException(StatusCodes.Status413PayloadTooLarge, "Upload too large",
                    $"The request body is {request.ContentLength:N0} bytes, over what the gateway accepts: the limit is " +
                    $"{services.GetRequiredService<IOptions<GatewayOptions>>().Value.MaxUploadBytes:N0} bytes per image ({limit:N0} with its form).");
            throw new ProblemException(StatusCodes.Status400BadRequest, "Malformed form", $"The multipart form could not be read: {e.Message}");
        }
    }
}
