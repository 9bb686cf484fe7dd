using MnistEvents.ServiceDefaults;

// The predictor's consumers and model holder arrive with the event pipeline; until then it only hosts health.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
