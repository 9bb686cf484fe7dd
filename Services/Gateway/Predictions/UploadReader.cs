using System.Buffers;
using Microsoft.Net.Http.Headers;
using MnistEvents.Gateway.Problems;

namespace MnistEvents.Gateway.Predictions;

/// <summary>Reads an uploaded image, as the seed took it (multipart form field <c>file</c>) or as a raw <c>image/*</c> body, within the byte limit.</summary>
public static class UploadReader
{
    public const string FormField = "file";

    public static async Task<byte[]> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.HasFormContentType)
        {
            var form = await FormReader.ReadAsync(request, cancellationToken);
            var file = form.Files.GetFile(FormField);
            if (file is null)
            {
                var detail = form.ContainsKey(FormField)
                    ? $"Form field '{FormField}' is text; it must be a file upload."
                    : form.Files.Count > 0
                        ? $"The form has no field '{FormField}' (it has {string.Join(", ", form.Files.Select(f => $"'{f.Name}'"))}); send the image as field '{FormField}'."
                        : $"The form has no field '{FormField}'; send the image as multipart form field '{FormField}'.";
                throw new ProblemException(StatusCodes.Status400BadRequest, "Missing field", detail);
            }
            return await ReadFileAsync(file, maxBytes, cancellationToken);
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !mediaType.MediaType.StartsWith("image/", StringComparison.OrdinalIgnoreCase))
        {
            throw new ProblemException(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type",
                $"Content-Type '{request.ContentType ?? "(none)"}' is not accepted: send multipart/form-data with the image in field '{FormField}', or the image itself as the body with an image/* Content-Type.");
        }
        return await ReadBodyAsync(request, maxBytes, cancellationToken);
    }

    /// <summary>The whole body as an array of its own (an image kept past the request), read as <see cref="RentBodyAsync"/> reads it.</summary>
    public static async Task<byte[]> ReadBodyAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        using var body = await RentBodyAsync(request, maxBytes, cancellationToken);
        return body.Bytes.ToArray();
    }

    /// <summary>
    /// The whole body in a buffer rented from the shared pool, for a caller that reads it and lets it go (dispose it to
    /// return it), refused (413) as soon as it is known to be longer than <paramref name="maxBytes"/>. A 32-digit
    /// inference request is 58 KB of JSON: read into a growing stream, then copied out, it cost 300 KB of fresh memory
    /// that the GC cleared, a twentieth of the gateway's CPU under bench/oip's REST load (perf).
    /// </summary>
    public static async Task<RentedBody> RentBodyAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes) throw TooLarge(request.ContentLength.Value, maxBytes);
        var expected = request.ContentLength;
        // The buffer grows with what arrives, not with what Content-Length claims: a client that declares 10 MB and sends
        // a byte holds 64 KB, not 10 MB, however many such requests it opens.
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(expected ?? InitialBodyBytes, InitialBodyBytes));
        var length = 0;
        try
        {
            while (expected is null || length < expected)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(2L * buffer.Length, expected ?? maxBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0) break;
                length += read;
                if (length > maxBytes) throw TooLarge(length, maxBytes);
            }
            return new RentedBody(buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    // A 32-digit UINT8 tensor in JSON is 58 KB.
    private const int InitialBodyBytes = 64 * 1024;

    public static async Task<byte[]> ReadFileAsync(IFormFile file, long maxBytes, CancellationToken cancellationToken)
    {
        if (file.Length > maxBytes) throw TooLarge(file.Length, maxBytes);
        // The form reader has already measured the part: one exact read, no growing buffer.
        var bytes = new byte[file.Length];
        await using var stream = file.OpenReadStream();
        await stream.ReadExactlyAsync(bytes, cancellationToken);
        return bytes;
    }

    private static ProblemException TooLarge(long size, long maxBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, "Upload too large", $"The upload is at least {size:N0} bytes; the limit is {maxBytes:N0}.");
}
