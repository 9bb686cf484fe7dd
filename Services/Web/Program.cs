using MnistEvents.ServiceDefaults;
using MnistEvents.Web;
using MnistEvents.WebUi;

// The UI's own service: the page and its files, and the gateway's API and hub forwarded on the same origin.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddGatewayProxy();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapWebUi();
app.MapGatewayProxy();
app.Run();
