using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using MnistEvents.ServiceTests.Support;
using MnistEvents.TestSupport;

namespace MnistEvents.ServiceTests.Gateway;

/// <summary>One trace covers a prediction: the HTTP request, the gateway's send, and the predictor's consume.</summary>
public class TracingTests(AllInOneFactory factory) : IClassFixture<AllInOneFactory>
{
    [Fact]
    public async Task PredictionIsOneTraceFromHttpThroughTheBusToThePredictor()
    {
        var client = factory.CreateClient();
        await client.PostAsync("/prediction", Uploads.Form(Uploads.DigitPng(0))); // warm: model loaded
        var activities = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "MassTransit" || source.Name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)
                                       || source.Name.StartsWith("MnistEvents", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Add,
        };
        ActivitySource.AddActivityListener(listener);

        var response = await client.PostAsync("/prediction", Uploads.Form(Uploads.DigitPng(1)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var request = Assert.Single(activities, a => a.Source.Name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)
                                                     && a.Kind == ActivityKind.Server);
        // The consumer's activity stops only after its response is sent, so it may come a moment after the answer.
        await Poll.Until(() => Task.FromResult(activities.Any(a => a.TraceId == request.TraceId && a.Source.Name == "MassTransit"
                && a.Kind == ActivityKind.Consumer && a.DisplayName.Contains("predict-digit-batch", StringComparison.Ordinal))),
            "the predictor's consumer activity in the request's trace", TimeSpan.FromSeconds(10));
        Assert.Contains(activities, a => a.TraceId == request.TraceId && a.Source.Name == "MassTransit" && a.Kind == ActivityKind.Producer);
    }
}
