namespace MnistEvents.ServiceDefaults.Bus;

/// <summary>The competing-consumer queues that commands are sent to; producers and consumers must agree on them.</summary>
public static class QueueNames
{
    public const string PredictDigitBatch = "predict-digit-batch";
    public const string RequestRetrain = "request-retrain";

    public static Uri Address(string queue) => new($"queue:{queue}");
}
