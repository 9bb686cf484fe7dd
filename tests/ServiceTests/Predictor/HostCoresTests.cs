using MnistEvents.Predictor.Serving;

namespace MnistEvents.ServiceTests.Predictor;

/// <summary>A replica tells the gateway its host's cores from Linux's list of online CPUs, as the kernel writes it.</summary>
public class HostCoresTests
{
    [Theory]
    [InlineData("0\n", 1)]
    [InlineData("0-1\n", 2)]
    [InlineData("0-3,6,8-9\n", 7)]
    [InlineData("", null)]
    [InlineData("0-", null)]
    [InlineData("3-1", null)]
    [InlineData("a-b", null)]
    [InlineData("0-1-2", null)]
    public void OnlineCpusAreCountedFromTheKernelsList(string list, int? expected) => Assert.Equal(expected, HostCores.Count(list));

    [Fact]
    public void AMachineWithoutTheListSharesNoCoresItCannotCount() =>
        Assert.Null(HostCores.Online(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "online")));
}
