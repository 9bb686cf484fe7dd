using MnistEvents.AllInOne;
using MnistEvents.Gateway;
using MnistEvents.Predictor;
using MnistEvents.ServiceDefaults;
using MnistEvents.ServiceDefaults.Bus;
using MnistEvents.Trainer;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddAllInOne();
builder.AddGateway();
builder.AddPredictor();
builder.AddTrainerWorker();
builder.AddBus();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapGateway();
app.Run();
