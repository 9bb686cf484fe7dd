using MnistEvents.ServiceDefaults.Bus;
using MnistEvents.ServiceDefaults.Retraining;

namespace MnistEvents.Trainer.Cli;

/// <summary>
/// <c>trainer request-retrain</c>: asks the running system for a training on the broker, as any AMQP client may
/// (<see cref="RetrainBroker"/>), and with <c>--wait</c> follows it by its id (<see cref="RetrainWatch"/>) to its
/// <c>RetrainSettled</c>: exit 0 when its version serves, 3 when the gate refused it, 4 when a newer decision superseded
/// it, 1 when the controller refused the request or the training failed (or the broker did), 2 on flags that do not parse.
/// Whether the settings can run is the controller's to say, once, for every way a request arrives.
/// </summary>
public static class RequestRetrainCommand
{
    /// <summary>Runs with the console's streams and the environment's <c>Bus__*</c>; Ctrl-C stops following (the training goes on).</summary>
    public static async Task<int> RunFromConsoleAsync(IReadOnlyList<string> args)
    {
        using var cancel = CtrlC.Cancels();
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        return await RunAsync(args, configuration, Console.Out, Console.Error, cancel.Token);
    }

    public static async Task<int> RunAsync(IReadOnlyList<string> args, IConfiguration configuration, TextWriter output, TextWriter error,
        CancellationToken cancellationToken = default)
    {
        RequestRetrainArguments parsed;
        try
        {
            parsed = RequestRetrainArgumentParser.Parse(args);
        }
        catch (UsageException e)
        {
            error.WriteLine($"request-retrain: {e.Message}");
            return TrainerExitCodes.BadUsage;
        }
        if (parsed.Help)
        {
            output.WriteLine(RequestRetrainArgumentParser.Usage);
            return TrainerExitCodes.Ok;
        }
        var request = parsed.Request;
        var bus = configuration.GetSection(BusOptions.Section).Get<BusOptions>() ?? new BusOptions();
        if (bus.Transport != BusTransport.RabbitMQ)
        {
            error.WriteLine("request-retrain: it publishes to RabbitMQ: set Bus__Transport=RabbitMQ and Bus__RabbitMQ__Host, __Port, __VirtualHost, "
                + "__Username and __Password (the embedded default's in-memory bus cannot be reached from another process: POST /retrain asks it)");
            return TrainerExitCodes.BadUsage;
        }

        var rabbit = bus.RabbitMQ;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            await using var broker = await RetrainBroker.ConnectAsync(rabbit, cancellationToken);
            var events = parsed.Wait ? await broker.FollowAsync(RetrainWatch.Events, cancellationToken) : null;
            await broker.PublishAsync(request, cancellationToken);
            output.WriteLine($"Asked for training {request.TrainingId} on {rabbit.Host}:{rabbit.Port}/{rabbit.VirtualHost} as {rabbit.Username}, for {request.RequestedBy}");
            if (events is null) return TrainerExitCodes.Ok;

            var watch = new RetrainWatch(request.TrainingId, output, error);
            deadline.CancelAfter(parsed.Timeout);
            await foreach (var message in events.ReadAllAsync(deadline.Token))
                if (watch.Observe(message) is { } outcome) return (int)outcome;
            error.WriteLine($"request-retrain: the broker connection ended before training {request.TrainingId} did");
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            error.WriteLine($"request-retrain: no verdict on training {request.TrainingId} within {parsed.Timeout}; it may still be running (GET /models)");
        }
        catch (OperationCanceledException)
        {
            error.WriteLine($"request-retrain: stopped following training {request.TrainingId}; the training goes on");
        }
        catch (Exception e)
        {
            // The broker refusing, unreachable or gone: whatever it was, this command failed, and says how.
            error.WriteLine($"request-retrain: {RetrainBroker.Describe(e)}");
        }
        return (int)RetrainOutcome.Failed;
    }
}
