using System.Net;
using System.Text;
using MassTransit;
using MassTransit.Testing;
using MnistEvents.Contracts;
using MnistEvents.ServiceTests.Support;
using MnistEvents.TestSupport;

namespace MnistEvents.ServiceTests.Gateway;

/// <summary>
/// An Open Inference Protocol request takes the one prediction path: its digits leave the gateway together in
/// <c>PredictDigitBatch</c> messages, split only at the batch limit (128 here, the default), on the embedded default with its bus on MassTransit's test harness.
/// </summary>
public class OipBatchingTests
{
    [Fact]
    public async Task ARequestsDigitsTravelInOneBatchSplitOnlyAtTheBatchLimit()
    {
        await using var app = new HarnessedAllInOne(Models.SeedCopy(TestData.TempDirectory()),
            // 140 digits as JSON numbers are ~300 KB, past the 200 KB these tests allow an upload by default.
            new Dictionary<string, string> { ["Gateway:MaxUploadBytes"] = "1000000" });
        var client = app.CreateClient();
        await Poll.Until(async () => (await client.GetAsync("/v2/health/ready")).StatusCode == HttpStatusCode.OK, "the server ready");

        var before = app.Harness.SentSoFar<PredictDigitBatch>().Count;
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v2/models/mnist/infer", Digits(32))).StatusCode);
        var thirtyTwo = app.Harness.SentSoFar<PredictDigitBatch>().Skip(before).Select(b => b.RequestIds.Length).ToArray();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v2/models/mnist/infer", Digits(140))).StatusCode);
        var hundredForty = app.Harness.SentSoFar<PredictDigitBatch>().Skip(before + thirtyTwo.Length).Select(b => b.RequestIds.Length).ToArray();

        Assert.Equal([32], thirtyTwo);
        Assert.Equal([12, 128], hundredForty.Order());
        Assert.Empty(app.Harness.Published.Select<Fault<PredictDigitBatch>>(new CancellationToken(canceled: true)));
    }

    private static StringContent Digits(int count)
    {
        var data = string.Join(",", TestData.Test.Images.AsSpan(0, count * 784).ToArray());
        return new StringContent($"{{\"inputs\": [{{\"name\": \"pixels\", \"datatype\": \"UINT8\", \"shape\": [{count},784], \"data\": [{data}]}}]}}",
            Encoding.UTF8, "application/json");
    }
}
