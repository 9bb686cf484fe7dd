using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace MnistEvents.WebUi;

/// <summary>
/// Tells a browser from an API client at the one URL both use: a browser names <c>text/html</c> in Accept; curl sends
/// <c>*/*</c> and API clients name JSON, and both keep the seed's JSON answer.
/// </summary>
public static class HtmlNegotiation
{
    public static bool PrefersHtml(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted)) return false;
        double html = 0, json = 0;
        foreach (var type in accepted)
        {
            var quality = type.Quality ?? 1;
            if (type.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase)
                || type.MediaType.Equals("application/xhtml+xml", StringComparison.OrdinalIgnoreCase)) html = Math.Max(html, quality);
            else if (type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                || type.MediaType.Equals("application/problem+json", StringComparison.OrdinalIgnoreCase)) json = Math.Max(json, quality);
        }
        return html > 0 && html >= json;
    }
}
