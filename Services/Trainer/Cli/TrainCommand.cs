using System.Globalization;
using MassTransit;
using MnistEvents.Model.Data;
using MnistEvents.Model.Evaluation;
using MnistEvents.Model.Networks;
using MnistEvents.Model.Training;
using MnistEvents.Registry;
using MnistEvents.ServiceDefaults.Bus;
using MnistEvents.Trainer.Worker;

namespace MnistEvents.Trainer.Cli;

/// <summary>
/// The Trainer's command line: parse, load MNIST, train, evaluate, save a version and judge it for promotion. Returns the process exit code. Where
/// <c>Bus__Transport=RabbitMQ</c> is set (the Kubernetes Job), it also announces the run and the saved model on the bus.
/// </summary>
public static class TrainCommand
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadUsage = 2;

    /// <summary>Runs with the console's streams; Ctrl-C cancels training cleanly.</summary>
    public static async Task<int> RunFromConsoleAsync(IReadOnlyList<string> args)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        return await RunAsync(args, Console.Out, Console.Error, cancel.Token);
    }

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        TrainerArguments parsed;
        try
        {
            parsed = TrainerArgumentParser.Parse(args);
        }
        catch (UsageException e)
        {
            error.WriteLine($"trainer: {e.Message}");
            return BadUsage;
        }
        if (parsed.Help)
        {
            output.WriteLine(TrainerArgumentParser.Usage);
            return Ok;
        }

        if (parsed.SaveModel && BusConfigured() is { } bus)
            return await RunOnBusAsync(bus, parsed, output, cancellationToken);

        try
        {
            var train = MnistDataset.LoadTrain(parsed.DataDirectory);
            var test = MnistDataset.LoadTest(parsed.DataDirectory);
            var options = parsed.Training;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Training {NetworkFactory.Name(options.Architecture)} on {Math.Min(train.Count, options.Limit ?? int.MaxValue)} MNIST images from {Path.GetFullPath(parsed.DataDirectory)}, {options.Epochs} epoch(s), batch {options.BatchSize}, lr {options.EffectiveLearningRate}, gamma {options.Gamma}"));

            // Corrections people gave live beside the versions, so only a run that saves one learns from them.
            var registry = parsed.SaveModel ? new ModelRegistry(parsed.SaveModelPath) : null;
            var corrections = registry is null ? CorrectionSplit.None : CorrectionSplit.Read(registry);
            if (corrections.Train.Count + corrections.HeldBack.Count > 0)
                output.WriteLine($"Mixing in {corrections.Train.Count} corrections from {registry!.CorrectionsPath}; {corrections.HeldBack.Count} held back to judge the model");

            var result = MnistTrainer.Train(options, train, test, new ConsoleTrainingObserver(output), cancellationToken, corrections.Train);
            using var network = result.Network;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Trained in {result.Elapsed.TotalSeconds:0.0} s: test accuracy {100 * result.Final.Accuracy:0.00}% after {result.Epochs.Count} epoch(s)"));

            if (registry is not null)
            {
                var promotion = parsed.Promotion ?? new PromotionOptions();
                var uploads = ValidationUploads.Load(registry.Root, test, promotion.ValidationUploads);
                var outcome = CandidatePromotion.SaveAndJudge(registry, result, options, test, uploads, corrections, promotion, "the trainer's command line");
                output.WriteLine($"Saved model {outcome.Manifest.Version} in {registry.VersionsDirectory} (sha256 {outcome.Manifest.Sha256})");
                output.WriteLine(outcome.Decision switch
                {
                    { Pending: true } => $"Passed the gate: {outcome.Decision.Reason}; it serves once the replicas have shadowed it on {outcome.Decision.ShadowPredictions:N0} live digits (the gateway promotes it), {outcome.Decision.Active} until then",
                    { Promoted: true } => $"Promoted: {outcome.Decision.Reason}; {registry.ModelPath} serves it",
                    _ => $"Refused: {outcome.Decision.Reason}; {registry.ModelPath} still serves {outcome.Decision.Active} (--promote-regardless to serve it anyway)",
                });
            }
            return Ok;
        }
        catch (MnistDataException e)
        {
            error.WriteLine($"trainer: {e.Message}");
            return Failed;
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("trainer: cancelled");
            return Failed;
        }
    }

    private static HostApplicationBuilder? BusConfigured()
    {
        var builder = Host.CreateApplicationBuilder();
        var transport = builder.Configuration.GetSection(BusOptions.Section).Get<BusOptions>()?.Transport ?? BusTransport.InMemory;
        // In memory there is nobody else to tell.
        return transport == BusTransport.InMemory ? null : builder;
    }

    private static async Task<int> RunOnBusAsync(HostApplicationBuilder builder, TrainerArguments parsed, TextWriter output, CancellationToken cancellationToken)
    {
        builder.AddBus();
        builder.Services.AddTransient<TrainingRunner>();
        builder.Services.AddTransient<IPublishEndpoint>(sp => sp.GetRequiredService<IBus>());
        using var host = builder.Build();
        await host.StartAsync(cancellationToken);
        try
        {
            var runner = host.Services.GetRequiredService<TrainingRunner>();
            var outcome = await runner.RunAsync(parsed.TrainingId ?? Guid.NewGuid(), parsed.Training, parsed.Promotion ?? new PromotionOptions(),
                parsed.DataDirectory, parsed.SaveModelPath, new ConsoleTrainingObserver(output), cancellationToken);
            if (outcome is null) return Failed;
            output.WriteLine($"Saved model {outcome.Manifest.Version} (sha256 {outcome.Manifest.Sha256}), {TrainingRunner.Verdict(outcome.Decision)}: {outcome.Decision.Reason}; announced");
            return Ok;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }
}
