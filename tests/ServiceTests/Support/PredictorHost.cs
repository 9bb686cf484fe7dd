using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MnistEvents.Contracts;
using MnistEvents.Predictor;
using MnistEvents.Predictor.Serving;
using MnistEvents.ServiceDefaults.Bus;
using MnistEvents.TestSupport;

namespace MnistEvents.ServiceTests.Support;

/// <summary>A predictor replica exactly as <c>AddPredictor()</c> registers it, on MassTransit's in-memory test harness.</summary>
public sealed class PredictorHost : IAsyncDisposable
{
    private readonly IHost host;

    private PredictorHost(IHost host)
    {
        this.host = host;
        Harness = host.Services.GetTestHarness();
        Holder = host.Services.GetRequiredService<ModelHolder>();
        FirstModel = host.Services.GetRequiredService<FirstModelServed>();
        Shadow = host.Services.GetRequiredService<ShadowRunner>();
    }

    /// <summary>Ready once the prediction queues' endpoints may consume.</summary>
    public FirstModelServed FirstModel { get; }

    /// <summary>Asks the competing queue the gateway sends batches to, as the gateway's synchronous path does: one request, one answer per image.</summary>
    public async Task<DigitPredicted[]> PredictAsync(IReadOnlyList<byte[]> images, RequestTimeout timeout = default)
    {
        var client = Harness.Bus.CreateRequestClient<PredictDigitBatch>(QueueNames.Address(QueueNames.PredictDigitBatch), timeout);
        var response = await client.GetResponse<DigitBatchPredicted>(Batch(images));
        return response.Message.Predictions();
    }

    public async Task<DigitPredicted> PredictAsync(byte[] image, RequestTimeout timeout = default) => (await PredictAsync([image], timeout)).Single();

    public static PredictDigitBatch Batch(IReadOnlyList<byte[]> images) =>
        new(Guid.NewGuid(), images.Select(_ => Guid.NewGuid()).ToArray(), images.SelectMany(i => i).ToArray(), DateTimeOffset.UtcNow);

    public ITestHarness Harness { get; }

    public ModelHolder Holder { get; }

    public ShadowRunner Shadow { get; }

    /// <param name="settings">Extra configuration, e.g. <c>Predictor:PollSeconds</c> (1 unless given).</param>
    public static async Task<PredictorHost> StartAsync(string modelPath, params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["ModelVolume:ModelPath"] = modelPath;
        builder.Configuration["Predictor:PollSeconds"] = "1";
        foreach (var (key, value) in settings) builder.Configuration[key] = value;
        builder.AddPredictor();
        builder.Services.AddMassTransitTestHarness(x => builder.ApplyBusRegistrations(x));
        // A replica without a model keeps its prediction endpoints waiting, so the bus is not "started" until one is served.
        builder.Services.PostConfigure<MassTransitHostOptions>(o => o.WaitUntilStarted = false);
        var host = builder.Build();
        await host.StartAsync();
        return new PredictorHost(host);
    }

    public async Task<string> WaitForModelAsync(string? version = null)
    {
        await Poll.Until(() => Task.FromResult(Holder.Manifest is { } m && (version is null || m.Version == version)),
            $"the predictor serving {version ?? "a model"}", TimeSpan.FromSeconds(10));
        return Holder.Manifest!.Version;
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }
}
