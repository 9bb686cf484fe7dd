using MnistEvents.Gateway;
using MnistEvents.ServiceDefaults;
using MnistEvents.ServiceDefaults.Bus;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddGateway();
builder.AddBus();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapGateway();
app.Run();
