using Microsoft.AspNetCore.SignalR;

namespace MnistEvents.Gateway.Realtime;

/// <summary>
/// The browser's live channel (<c>/hubs/predictions</c>). The server pushes: <c>predicted</c> (an async result, to the
/// submitting connection only), and to everyone <c>trainingStarted</c>, <c>trainingProgressed</c>, <c>trainingCompleted</c>,
/// <c>trainingFailed</c>, <c>retrainRejected</c> and <c>modelLoaded</c>. Clients call nothing.
/// </summary>
public sealed class PredictionsHub : Hub
{
    public const string Path = "/hubs/predictions";
}
