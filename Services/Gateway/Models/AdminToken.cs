using System.Security.Cryptography;
using System.Text;
using MnistEvents.Gateway.Problems;

namespace MnistEvents.Gateway.Models;

/// <summary>
/// The bearer token that guards what changes the system for everyone (retraining, activating a model): configured as
/// <c>Gateway:AdminToken</c>; without one those routes are off (403), with a wrong one they are a 401.
/// </summary>
public static class AdminToken
{
    public static void Authorize(HttpRequest request, string? token, string what)
    {
        if (string.IsNullOrEmpty(token))
            throw new ProblemException(StatusCodes.Status403Forbidden, $"{what} is disabled",
                "No token is configured. Set Gateway:AdminToken (environment variable Gateway__AdminToken) and send it as 'Authorization: Bearer <token>'.");

        var header = request.Headers.Authorization.ToString();
        var presented = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : "";
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(token)))
        {
            throw new ProblemException(StatusCodes.Status401Unauthorized, "Token required",
                presented.Length == 0 ? "Send 'Authorization: Bearer <token>'." : "The bearer token is not the configured token.");
        }
    }
}
