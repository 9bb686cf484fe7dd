using System.Net.Http.Json;
using System.Text.Json;

namespace MnistEvents.TestSupport;

/// <summary>What <c>GET /models</c> says, read the one way every suite reads it.</summary>
public static class ModelsView
{
    /// <summary>The version served now, or null when none is.</summary>
    public static async Task<string?> CurrentVersionAsync(this HttpClient http)
    {
        var view = await http.GetFromJsonAsync<JsonElement>("/models");
        return view.GetProperty("current") is { ValueKind: JsonValueKind.Object } current ? current.GetProperty("version").GetString() : null;
    }
}
