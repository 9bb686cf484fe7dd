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

    /// <summary>The version the volume says serves (the controller's decision), or null before there is one.</summary>
    public static async Task<string?> ActiveVersionAsync(this HttpClient http) =>
        (await http.GetFromJsonAsync<JsonElement>("/models")).GetProperty("active").GetString();

    /// <summary>
    /// Waits until the replicas the gateway hears from serve <paramref name="version"/>: each loads a version a moment after
    /// it is activated, and the gateway knows once the replica has said so.
    /// </summary>
    public static Task UntilServedAsync(this HttpClient http, string version, ServiceProcess? logOf = null) =>
        Poll.Until(async () => await http.CurrentVersionAsync() == version, $"version {version} served", logOf: logOf);
}
