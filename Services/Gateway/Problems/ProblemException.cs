namespace MnistEvents.Gateway.Problems;

/// <summary>A request the gateway refuses, carrying the 4xx status, the words for the problem+json answer, and any extension members.</summary>
public sealed class ProblemException(int status, string title, string detail) : Exception(detail)
{
    public int Status { get; } = status;

    public string Title { get; } = title;

    /// <summary>For 429 and 503: when to try again, sent as <c>Retry-After</c>.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>Extra members of the problem+json body (e.g. each file's refusal of a multi-file upload).</summary>
    public Dictionary<string, object?> Extensions { get; } = [];
}
