using System.Diagnostics.Metrics;
using MnistEvents.ServiceDefaults;

namespace MnistEvents.Predictor.Serving;

/// <summary>The predictor's own instruments: batch sizes, time commands waited before their batch ran, the forward passes' time and CPU, and the model served.</summary>
public sealed class PredictorMetrics
{
    public const string MeterName = ServiceDefaults.Extensions.TelemetryPrefix + ".Predictor";

    private readonly Histogram<int> batchSize;
    private readonly Histogram<double> queueWait;
    private readonly Histogram<double> inference;
    private long predictions;
    private long shadowed;
    private long shadowAgreed;
    private long redelivered;
    private long forwardCpuTicks;

    public PredictorMetrics(IMeterFactory meterFactory, ModelHolder holder)
    {
        var meter = meterFactory.Create(MeterName);
        batchSize = meter.CreateHistogram<int>("mnist.predictor.batch.size", "{digit}", "Digits classified in one forward pass",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256] });
        queueWait = meter.CreateHistogram<double>("mnist.predictor.queue.wait", "ms", "From the gateway sending a batch to its forward pass starting");
        inference = meter.CreateHistogram<double>("mnist.predictor.inference.duration", "ms", "One forward pass over a batch");
        meter.CreateObservableCounter("mnist.predictor.predictions", () => Interlocked.Read(ref predictions), "{digit}", "Digits classified");
        meter.CreateObservableCounter("mnist.predictor.forward.cpu", () => TimeSpan.FromTicks(Interlocked.Read(ref forwardCpuTicks)).TotalSeconds, "s",
            "CPU the forward passes used (the inference thread's own clock): against the process's CPU, what serving costs beyond the model");
        meter.CreateObservableCounter("mnist.predictor.shadow.predictions", () => Interlocked.Read(ref shadowed), "{digit}",
            "Digits a shadowed candidate also classified");
        meter.CreateObservableCounter("mnist.predictor.shadow.agreements", () => Interlocked.Read(ref shadowAgreed), "{digit}",
            "Shadowed digits the candidate classified as the served model did");
        meter.CreateObservableCounter("mnist.predictor.batches.redelivered", () => Interlocked.Read(ref redelivered), "{batch}",
            "Batches the broker delivered here again: another replica died (or lost its connection) holding them unacknowledged");
        meter.CreateObservableGauge("mnist.predictor.model.served", () => holder.Manifest is { } m
            ? [new Measurement<int>(1, new KeyValuePair<string, object?>("version", m.Version), new KeyValuePair<string, object?>("architecture", m.Architecture))]
            : Array.Empty<Measurement<int>>(), description: "1 for the model version this replica serves");
    }

    public long Predictions => Interlocked.Read(ref predictions);

    public void BatchRan(int size, double inferenceMs, TimeSpan cpu)
    {
        batchSize.Record(size);
        inference.Record(inferenceMs);
        Interlocked.Add(ref predictions, size);
        Interlocked.Add(ref forwardCpuTicks, cpu.Ticks);
    }

    public void Shadowed(int digits, int agreed)
    {
        Interlocked.Add(ref shadowed, digits);
        Interlocked.Add(ref shadowAgreed, agreed);
    }

    public void Redelivered() => Interlocked.Increment(ref redelivered);

    public void Waited(TimeSpan wait) => queueWait.Record(Math.Max(0, wait.TotalMilliseconds));
}
