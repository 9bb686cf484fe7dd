using Microsoft.Extensions.Logging.Abstractions;
using MnistEvents.Contracts;
using MnistEvents.Gateway.AsyncPredictions;
using MnistEvents.Registry;
using MnistEvents.ServiceTests.Support;
using MnistEvents.TestSupport;

namespace MnistEvents.ServiceTests.Gateway;

/// <summary>The async results log shared by gateway instances on one volume: what one writes, another reads; torn lines wait; old segments go.</summary>
public class AsyncResultLogTests
{
    private readonly ModelVolume volume = new(Path.Combine(TestData.TempDirectory(), "mnist.pt"));

    private string Segments => volume.AsyncResultsDirectory;
    private readonly ManualTime time = new();

    [Fact]
    public void WhatOneInstanceKeepsAnotherOnTheSameVolumeReadsWithResultsRecordedLater()
    {
        using var first = Log();
        using var second = Log();
        var a = Accepted(1);
        var b = Accepted(2);
        first.Accepted([a, b], "127.0.0.1");

        var pending = second.Read(a.Id);
        Assert.NotNull(pending);
        Assert.Equal(a.Pixels, pending.Pixels);
        Assert.Null(pending.Result);

        first.Recorded([Result(a.Id, 7)]);

        Assert.Equal(7, second.Read(a.Id)?.Result?.Digit);
        Assert.Null(second.Read(b.Id)?.Result);
        Assert.Null(second.Read(Guid.NewGuid()));
    }

    [Fact]
    public void AResultTheOtherInstanceRecordedIsSeenByTheOneThatAcceptedAndStillHoldsItPending()
    {
        // The instances compete for the results queue: the one that accepted a prediction may not be the one that records it.
        var options = Microsoft.Extensions.Options.Options.Create(new MnistEvents.Gateway.GatewayOptions());
        using var acceptedLog = Log();
        using var recordedLog = Log();
        using var accepting = new AsyncPredictionStore(acceptedLog, options, time);
        using var recording = new AsyncPredictionStore(recordedLog, options, time);
        var a = Accepted(1);
        accepting.Accepted([(a.Id, a.Pixels, a.Warnings)], connectionId: null, "127.0.0.1");
        Assert.Equal("pending", accepting.Find(a.Id)?.Status);

        Assert.Equal(0, recording.Record([Result(a.Id, 7)]));

        Assert.Equal(7, accepting.Find(a.Id)?.Result?.Digit);
    }

    [Fact]
    public void AnUploadsWarningsAreKeptWithItAndReadBackByAnotherInstance()
    {
        using var first = Log();
        using var second = Log();
        var doubtful = Accepted(1) with { Warnings = ["The ink is faint (12% darker than the paper): a darker pen, more light or a scan would read surer."] };
        var plain = Accepted(2);
        first.Accepted([doubtful, plain], "127.0.0.1");

        Assert.Equal(doubtful.Warnings, second.Read(doubtful.Id)?.Warnings);
        Assert.Empty(second.Read(plain.Id)!.Warnings);
    }

    [Fact]
    public void ATornLastLineIsNotReadUntilItsWriterFinishesIt()
    {
        using var writer = Log();
        var whole = Accepted(3);
        writer.Accepted([whole], "127.0.0.1");
        var segment = Directory.GetFiles(Segments, "*.jsonl").Single();
        var torn = Accepted(4);
        using (var other = Log()) other.Accepted([torn], "127.0.0.1");
        var line = File.ReadAllBytes(Directory.GetFiles(Segments, "*.jsonl").Single(f => f != segment));
        File.AppendAllBytes(segment, line.AsSpan(0, line.Length / 2).ToArray());

        using var reader = Log();
        Assert.NotNull(reader.Read(whole.Id));
        File.Delete(Directory.GetFiles(Segments, "*.jsonl").Single(f => f != segment));
        Assert.Null(reader.Read(torn.Id));

        File.AppendAllBytes(segment, line.AsSpan(line.Length / 2).ToArray());
        Assert.Equal(torn.Pixels, reader.Read(torn.Id)?.Pixels);
    }

    [Fact]
    public void SegmentsPastTheRetentionAreDeletedAndForgotten()
    {
        using var log = Log();
        var old = Accepted(5);
        log.Accepted([old], "127.0.0.1");
        Assert.Equal(1, log.Count);

        time.Now += AsyncPredictionStore.Retention + TimeSpan.FromMinutes(2);
        var fresh = Accepted(6); // a new segment: the old one has not been written since
        log.Accepted([fresh], "127.0.0.1");
        Assert.Equal(1, log.Sweep());

        Assert.Null(log.Read(old.Id));
        Assert.NotNull(log.Read(fresh.Id));
        Assert.Single(Directory.GetFiles(Segments, "*.jsonl"));
    }

    private AsyncResultLog Log() => new(volume, time, NullLogger<AsyncResultLog>.Instance);

    private AsyncPrediction Accepted(int image) => new(Guid.NewGuid(), null, TestData.Test.Image(image).ToArray(), [], time.Now);

    private DigitPredicted Result(Guid id, int digit) =>
        new(id, digit, 0.9f, new float[10], "v1", "predictor-0", 1, time.Now);
}
