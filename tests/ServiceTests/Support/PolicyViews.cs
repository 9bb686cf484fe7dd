using System.Net.Http.Json;
using System.Text.Json;
using MnistEvents.TestSupport;

namespace MnistEvents.ServiceTests.Support;

/// <summary>The retrain policy as <c>GET /models</c> shows it, read once it has checked its rules again.</summary>
public static class PolicyViews
{
    /// <summary>The view from the first check that began after <paramref name="after"/>.</summary>
    public static async Task<JsonElement> CheckedAfterAsync(HttpClient client, DateTimeOffset after)
    {
        JsonElement policy = default;
        await Poll.Until(async () =>
        {
            policy = (await client.GetFromJsonAsync<JsonElement>("/models")).GetProperty("retrainPolicy");
            return policy.GetProperty("checkedAt") is { ValueKind: JsonValueKind.String } at && at.GetDateTimeOffset() > after;
        }, $"a check of the retrain policy after {after:O}");
        return policy;
    }

    /// <summary>The view once the policy has checked its rules <paramref name="count"/> more times.</summary>
    public static async Task<JsonElement> ChecksAsync(HttpClient client, int count)
    {
        var policy = await CheckedAfterAsync(client, DateTimeOffset.UtcNow);
        for (var i = 1; i < count; i++) policy = await CheckedAfterAsync(client, policy.GetProperty("checkedAt").GetDateTimeOffset());
        return policy;
    }
}
