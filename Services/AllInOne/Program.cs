using MnistEvents.AllInOne;
using MnistEvents.Controller;
using MnistEvents.Gateway;
using MnistEvents.Predictor;
using MnistEvents.ServiceDefaults;
using MnistEvents.ServiceDefaults.Bus;
using MnistEvents.Trainer;
using MnistEvents.WebUi;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddAllInOne();
builder.AddGateway();
builder.AddPredictor();
builder.AddTrainerWorker();
builder.AddController();
builder.AddBus();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapWebUi();
app.MapGateway();
app.Run();
