namespace MnistEvents.Gateway.Problems;

/// <summary>A request the gateway refuses, carrying the 4xx status and the words for the problem+json answer.</summary>
public sealed class ProblemException(int status, string title, string detail) : Exception(detail)
{
    public int Status { get; } = status;

    public string Title { get; } = title;
}
