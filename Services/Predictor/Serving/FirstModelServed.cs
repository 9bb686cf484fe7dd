using MassTransit.Transports;

namespace MnistEvents.Predictor.Serving;

/// <summary>
/// What the prediction queues' receive endpoints wait for before they take any message: a verified model in the holder.
/// The queues and their bindings exist from the start (work sent meanwhile waits in them), but a replica on a first
/// deploy, or with a bad file on its volume, does not consume, so the work goes to replicas that can answer instead of
/// failing here. A model is only ever swapped for another, so once ready this stays ready.
/// </summary>
public sealed class FirstModelServed : IReceiveEndpointDependency
{
    private readonly TaskCompletionSource served = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FirstModelServed(ModelHolder holder)
    {
        holder.Changed += _ => served.TrySetResult();
        if (holder.Manifest is not null) served.TrySetResult();
    }

    public Task Ready => served.Task;
}
