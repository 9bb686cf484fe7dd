using Microsoft.AspNetCore.SignalR;

namespace MnistEvents.Gateway.Realtime;

/// <summary>
/// The browser's live channel (<c>/hubs/predictions</c>). A client calls <c>subscribe</c> once connected and sends the key
/// it gets with its submissions. The server pushes: <c>predicted</c> (an async result, to the submitting connection
/// only), and to everyone <c>trainingStarted</c>, <c>trainingProgressed</c>, <c>trainingCompleted</c>,
/// <c>trainingFailed</c>, <c>retrainRejected</c>, <c>modelSaved</c>, <c>candidateJudged</c>, <c>promotionDecided</c>,
/// <c>modelActivated</c>, <c>retrainSettled</c> (the one that ends a training), <c>modelLoaded</c> and <c>models</c> (the replica view).
/// </summary>
public sealed class PredictionsHub(Subscriptions subscriptions) : Hub
{
    public const string Path = "/hubs/predictions";

    public const string Predicted = "predicted";

    public const string Models = "models";

    /// <summary>The key that binds async submissions to this connection: results of submissions naming it are pushed here only.</summary>
    public string Subscribe() => subscriptions.Subscribe(Context.ConnectionId);

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        subscriptions.Ended(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }
}
