using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace MnistEvents.WebUi;

public static class Extensions
{
    /// <summary>Where the UI's static files are served: everything but the page itself lives under this prefix, apart from the API's routes.</summary>
    public const string AssetsPath = "/ui";

    // The page loads only its own scripts and styles and talks only to its own origin (HTTP and the SignalR WebSocket).
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'";

    /// <summary>
    /// Serves the UI: <c>GET /</c> from a browser (a request that prefers <c>text/html</c>) gets the page, any other
    /// client goes on to the API's own <c>GET /</c> (the seed's JSON); the page's scripts and styles are under <see cref="AssetsPath"/>.
    /// </summary>
    public static WebApplication MapWebUi(this WebApplication app)
    {
        var files = new PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "ui"));
        var page = files.GetFileInfo("index.html");
        if (!page.Exists) throw new FileNotFoundException($"The UI's files are missing from {files.Root}; build the WebUi project.", "index.html");

        app.Use(async (context, next) =>
        {
            if (context.Request.Path == "/" && (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
                && HtmlNegotiation.PrefersHtml(context.Request))
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.CacheControl = "no-cache";
                headers.Vary = HeaderNames.Accept;
                Secure(headers);
                context.Response.ContentType = "text/html; charset=utf-8";
                context.Response.ContentLength = page.Length;
                if (HttpMethods.IsGet(context.Request.Method)) await context.Response.SendFileAsync(page, context.RequestAborted);
                return;
            }
            await next(context);
        });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            RequestPath = AssetsPath,
            ContentTypeProvider = new FileExtensionContentTypeProvider(),
            // Revalidated every time (cheap with ETags), so a rebuilt UI is never mixed with a cached one.
            OnPrepareResponse = context =>
            {
                context.Context.Response.Headers.CacheControl = "no-cache";
                Secure(context.Context.Response.Headers);
            },
        });
        return app;
    }

    private static void Secure(IHeaderDictionary headers)
    {
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
    }
}
