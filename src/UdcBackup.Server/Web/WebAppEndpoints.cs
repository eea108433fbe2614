using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace UdcBackup.Server.Web;

/// <summary>
/// Serves the operations web app and its live-update streams. The built files are static; any
/// other path that is not an API path gets <c>index.html</c> (the app routes in the browser, so
/// <c>/runs/abc</c> must load the app, while <c>/api/nope</c> must stay a 404 problem). Hashed
/// assets are cached for a year, <c>index.html</c> never, so a new build is picked up at once.
/// When the app was not built the API still runs and the log says how to build it.
/// </summary>
public static class WebAppEndpoints
{
    private static readonly string[] ServerPrefixes = ["/api", "/openapi", "/healthz"];

    /// <summary>Maps the live-update streams and, when built, the web app at <c>/</c>.</summary>
    public static WebApplication MapWebApp(this WebApplication app, Serilog.ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(logger);
        app.MapLiveEventEndpoints();

        var location = WebAppLocation.Resolve();
        if (!location.Found)
        {
            logger.Warning(
                "Web app not built, serving the API only (looked in {Searched}). Build it with: cd web && npm ci && npm run build, or set {Variable}",
                location.Searched,
                WebAppLocation.EnvironmentVariable);
            return app;
        }

        var root = location.Root!;
        var files = new PhysicalFileProvider(root);
        app.Lifetime.ApplicationStopped.Register(files.Dispose);
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            ContentTypeProvider = new FileExtensionContentTypeProvider(),
            OnPrepareResponse = context =>
            {
                var isAsset = context.Context.Request.Path.StartsWithSegments("/assets", StringComparison.Ordinal);
                context.Context.Response.Headers[HeaderNames.CacheControl] = isAsset ? "public, max-age=31536000, immutable" : "no-cache";
            },
        });
        app.MapFallback(context => ServeIndexAsync(context, files)).ExcludeFromDescription();
        logger.Information("Web app served at / from {Root}", root);
        return app;
    }

    private static async Task ServeIndexAsync(HttpContext context, PhysicalFileProvider files)
    {
        var path = context.Request.Path;
        if (ServerPrefixes.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)) || !HttpMethods.IsGet(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var index = files.GetFileInfo("index.html");
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers[HeaderNames.CacheControl] = "no-cache";
        await context.Response.SendFileAsync(index, context.RequestAborted);
    }
}
