using Microsoft.AspNetCore.SignalR;

namespace MnistEvents.Gateway.Realtime;

/// <summary>
/// The browser's live channel (<c>/hubs/predictions</c>). The server pushes: <c>predicted</c> (an async result, to the
/// submitting connection only), and to everyone <c>trainingStarted</c>, <c>trainingProgressed</c>, <c>trainingCompleted</c>,
/// <c>trainingFailed</c>, <c>retrainRejected</c>, <c>modelLoaded</c> and <c>models</c> (the replica view). Clients call nothing.
/// </summary>
public sealed class PredictionsHub : Hub
{
    public const string Path = "/hubs/predictions";

    public const string Predicted = "predicted";

    public const string Models = "models";
}
