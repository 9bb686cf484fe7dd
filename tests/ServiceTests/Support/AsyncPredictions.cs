using System.Net.Http.Json;
using System.Text.Json;
using MnistEvents.TestSupport;

namespace MnistEvents.ServiceTests.Support;

/// <summary>Submits on the async path without a SignalR connection and fetches the result by id, as a reconnected client does.</summary>
public static class AsyncPredictions
{
    public static async Task<JsonElement> PredictAsync(HttpClient client, byte[] image)
    {
        var response = await client.PostAsync("/predictions", Uploads.Form(image));
        response.EnsureSuccessStatusCode();
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items")[0].GetProperty("id").GetGuid();
        JsonElement view = default;
        await Poll.Until(async () =>
        {
            view = await client.GetFromJsonAsync<JsonElement>($"/predictions/{id}");
            return view.GetProperty("status").GetString() == "done";
        }, $"prediction {id} done", TimeSpan.FromSeconds(30));
        return view;
    }
}
