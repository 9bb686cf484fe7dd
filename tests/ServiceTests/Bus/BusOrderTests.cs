using Microsoft.Extensions.Hosting;
using MnistEvents.Predictor;
using MnistEvents.ServiceDefaults.Bus;

namespace MnistEvents.ServiceTests.Bus;

/// <summary>MassTransit takes the contributed registrations when the bus is added: one contributed later fails loudly, not silently.</summary>
public class BusOrderTests
{
    [Fact]
    public void AServiceAddedAfterTheBusIsRefusedNamingTheOrder()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.AddBus();

        var refused = Assert.Throws<InvalidOperationException>(() => builder.AddPredictor());

        Assert.Contains("call AddBus() after every service's AddXxx()", refused.Message);
    }

    [Fact]
    public void TheBusIsAddedOnce()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.AddBus();

        Assert.Throws<InvalidOperationException>(() => builder.AddBus());
    }
}
