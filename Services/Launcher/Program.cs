using MnistEvents.Launcher;
using MnistEvents.ServiceDefaults;
using MnistEvents.ServiceDefaults.Bus;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddLauncher();
builder.AddBus();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
