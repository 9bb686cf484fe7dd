using System.Globalization;
using MassTransit;
using Microsoft.Extensions.Logging.Abstractions;
using MnistEvents.Controller;
using MnistEvents.Model.Evaluation;
using MnistEvents.Registry;
using MnistEvents.ServiceDefaults.Bus;
using MnistEvents.ServiceDefaults.Retraining;
using MnistEvents.Trainer.Training;

namespace MnistEvents.Trainer.Cli;

/// <summary>
/// The Trainer's command line: parses the seed's flags, checks the settings by <see cref="RetrainRules"/>, and runs the
/// worker's own <see cref="TrainingRunner"/>, printing what it announces. Where <c>Bus__Transport=RabbitMQ</c> is set
/// (a Kubernetes Job), the events go on the bus and the system's controller decides what the candidate becomes; with
/// no broker, a controller composed in this process decides, on the same volume, and what it decided is printed.
/// Returns the process exit code (<see cref="TrainerExitCodes"/>).
/// </summary>
public static class TrainCommand
{
    /// <summary>Runs with the console's streams; Ctrl-C cancels training cleanly.</summary>
    public static async Task<int> RunFromConsoleAsync(IReadOnlyList<string> args)
    {
        using var cancel = CtrlC.Cancels();
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
            return TrainerExitCodes.BadUsage;
        }
        if (parsed.Help)
        {
            output.WriteLine(TrainerArgumentParser.Usage);
            return TrainerExitCodes.Ok;
        }
        var promotion = parsed.Promotion ?? new PromotionOptions();
        var training = parsed.Training;
        if (RetrainRules.Refusal(training.Epochs, training.BatchSize, training.LearningRate, training.Limit, promotion.ShadowPredictions) is { } refusal)
        {
            error.WriteLine($"trainer: {refusal}");
            return TrainerExitCodes.BadUsage;
        }

        var builder = Host.CreateApplicationBuilder();
        var volume = parsed.SaveModel ? new ModelVolume(parsed.SaveModelPath) : null;
        // Only a run that saves a version learns from the corrections beside the versions, as many as the volume keeps,
        // trusted as the gateway and the worker trust them (the same settings, read the same way).
        var cap = builder.Configuration.GetSection(ModelVolumeOptions.Section).Get<ModelVolumeOptions>()?.MaxCorrections ?? new ModelVolumeOptions().MaxCorrections;
        var trust = builder.Configuration.GetSection(CorrectionsOptions.Section).Get<CorrectionsOptions>() ?? new CorrectionsOptions();
        var run = new TrainingRun(parsed.TrainingId ?? Guid.NewGuid(), training, promotion, parsed.DataDirectory,
            volume is null ? null : new ModelRegistry(volume), volume is null ? null : new CorrectionsLog(volume, cap, options: trust),
            parsed.TrainingId is { } id ? $"training {id}" : "the trainer's command line", parsed.RequestedBy);
        output.WriteLine($"MNIST from {Path.GetFullPath(parsed.DataDirectory)}{(volume is null ? "" : $"; the model volume is {volume.Root}")}");

        var transport = builder.Configuration.GetSection(BusOptions.Section).Get<BusOptions>()?.Transport ?? BusTransport.InMemory;
        var report = volume is null
            ? await new TrainingRunner(new ConsoleAnnouncer(output, error, volume), NullLogger<TrainingRunner>.Instance)
                .RunAsync(run, new ConsoleTrainingObserver(output), cancellationToken)
            : await RunOnBusAsync(builder, run, volume, transport == BusTransport.InMemory, output, error, cancellationToken);
        if (!report.Succeeded) return report.Unannounced ? TrainerExitCodes.FailedUnannounced : TrainerExitCodes.Failed;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Trained in {report.Elapsed.TotalSeconds:0.0} s: test accuracy {100 * report.TestAccuracy:0.00}% after {report.Epochs} epoch(s)"));
        return TrainerExitCodes.Ok;
    }

    private static async Task<TrainingReport> RunOnBusAsync(HostApplicationBuilder builder, TrainingRun run, ModelVolume volume, bool inProcess,
        TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var console = new ConsoleAnnouncer(output, error, volume);
        var settlement = new Settlement(run.TrainingId, console, output);
        if (inProcess)
        {
            builder.Configuration[$"{ModelVolumeOptions.Section}:{nameof(ModelVolumeOptions.ModelPath)}"] = volume.ModelPath;
            builder.AddController();
            builder.Services.AddSingleton(settlement);
            builder.AddBusRegistration(x => x.AddConsumer<SettlementConsumer>());
        }
        builder.AddBus();
        using var host = builder.Build();
        await host.StartAsync(cancellationToken);
        try
        {
            var announcer = new ConsoleAnnouncer(output, error, volume, new BusAnnouncer(host.Services.GetRequiredService<IBus>()));
            var report = await new TrainingRunner(announcer, host.Services.GetRequiredService<ILogger<TrainingRunner>>())
                .RunAsync(run, new ConsoleTrainingObserver(output), cancellationToken);
            if (inProcess && report.Succeeded) await settlement.WaitAsync(cancellationToken);
            return report;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }
}
