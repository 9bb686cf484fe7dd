using MnistEvents.Controller;
using MnistEvents.ServiceDefaults;
using MnistEvents.ServiceDefaults.Bus;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddController();
builder.AddBus();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
