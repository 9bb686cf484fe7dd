using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace MnistEvents.ServiceTests.Support;

/// <summary>
/// The embedded default reached by several clients: the test server has no sockets, so each test client names the
/// address it stands for (<see cref="Client"/>), and the connection carries that address as a real one would.
/// <paramref name="settings"/> lower the shares to what a test can reach.
/// </summary>
public sealed class ClientsFactory(Dictionary<string, string> settings) : AllInOneFactory
{
    private const string AddressHeader = "X-Test-Client-Address";

    public HttpClient Client(string address)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add(AddressHeader, address);
        return client;
    }

    /// <summary>An admin's client: the bearer token, from an address of its own.</summary>
    public HttpClient AdminClient()
    {
        var admin = Client("10.0.0.1");
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        return admin;
    }

    public static Task<HttpResponseMessage> CorrectAsync(HttpClient client, Guid predictionId, int label) =>
        client.PostAsJsonAsync("/feedback", new { predictionId, label });

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new AddressFromHeader()));
    }

    private sealed class AddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (IPAddress.TryParse(context.Request.Headers[AddressHeader], out var address)) context.Connection.RemoteIpAddress = address;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
