namespace MnistEvents.ServiceDefaults.Bus;

/// <summary>The competing-consumer queues that commands are sent to; producers and consumers must agree on them.</summary>
public static class QueueNames
{
    public const string PredictDigitBatch = "predict-digit-batch";
    public const string RequestRetrain = "request-retrain";

    /// <summary>The controller's commands to whoever trains (the trainer worker, or the Kubernetes launcher): one at a time.</summary>
    public const string StartTraining = "start-training";

    /// <summary>A person's lifecycle commands (activate, shadow), which the gateway passes on to the controller.</summary>
    public const string LifecycleCommands = "lifecycle-commands";

    public static Uri Address(string queue) => new($"queue:{queue}");
}
