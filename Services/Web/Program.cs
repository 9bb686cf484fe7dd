using MnistEvents.ServiceDefaults;

// Serves the UI's static files; the drawing page and SignalR client arrive with the event pipeline.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();

var app = builder.Build();
app.UseDefaultFiles();
app.UseStaticFiles();
app.MapDefaultEndpoints();
app.Run();
