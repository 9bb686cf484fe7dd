using System.Diagnostics.Metrics;
using MnistEvents.Predictor.Serving;

namespace MnistEvents.ServiceTests.Support;

/// <summary>Records the predictor's batch-size histogram.</summary>
public sealed class BatchSizes : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly List<int> sizes = [];

    public BatchSizes()
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == PredictorMetrics.MeterName && instrument.Name == "mnist.predictor.batch.size") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<int>((_, value, _, _) => { lock (sizes) sizes.Add(value); });
        listener.Start();
    }

    public int[] Sizes
    {
        get { lock (sizes) return [.. sizes]; }
    }

    public void Dispose() => listener.Dispose();
}
