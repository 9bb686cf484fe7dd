using MnistEvents.ServiceDefaults;
using MnistEvents.ServiceDefaults.Bus;
using MnistEvents.Trainer;
using MnistEvents.Trainer.Cli;

// `trainer worker` consumes retrain requests from the bus; `trainer request-retrain` asks a running system for one;
// anything else is the seed-compatible training CLI.
if (args is ["request-retrain", ..]) return await RequestRetrainCommand.RunFromConsoleAsync(args[1..]);
if (args is not ["worker", ..]) return await TrainCommand.RunFromConsoleAsync(args);

var builder = WebApplication.CreateBuilder(args[1..]);
builder.AddServiceDefaults();
builder.AddTrainerWorker();
builder.AddBus();

var app = builder.Build();
app.MapDefaultEndpoints();
await app.RunAsync();
return 0;
