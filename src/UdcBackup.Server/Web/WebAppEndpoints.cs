using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace UdcBackup.Server.Web;

/// <summary>
/// Serves the operations web app and its live-update streams. The built files are static; any
/// other GET that no endpoint or file answers and that is not an API path gets <c>index.html</c>
/// (the app routes in the browser, so <c>/runs/a.b</c> must load the app, while <c>/api/nope</c>
/// must stay a 404 problem, a wrong method on an API route a 405, and a missing <c>/assets</c> file a 404). Hashed
/// assets are cached for a year, <c>index.html</c> never, so a new build is picked up at once.
/// When the app was not built the API still runs and the log says how to build it.
/// </summary>
public static class WebAppEndpoints
{
    // Paths the app never routes in the browser: a miss there is a 404, not the app. For
    // /assets that matters after an upgrade: a page still open asks for the old build's hashed
    // bundle, and index.html in its place (200, text/html) fails as a script with a MIME error.
    private static readonly string[] NotAppRoutes = ["/api", "/openapi", "/healthz", "/assets"];

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

        // Not a fallback endpoint: an endpoint matching every path would win over the static
        // files (they skip requests routed to an endpoint) and over 405 answers for API routes.
        // Running after routing and static files, this sees only requests nothing else claimed.
        app.Use(async (context, next) =>
        {
            if (context.GetEndpoint() is null && IsAppRoute(context.Request))
            {
                await ServeIndexAsync(context, files);
                return;
            }

            await next(context);
        });
        logger.Information("Web app served at / from {Root}", root);
        return app;
    }

    private static bool IsAppRoute(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && !NotAppRoutes.Any(p => request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));

    private static async Task ServeIndexAsync(HttpContext context, PhysicalFileProvider files)
    {
        var index = files.GetFileInfo("index.html");
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers[HeaderNames.CacheControl] = "no-cache";
        await context.Response.SendFileAsync(index, context.RequestAborted);
    }
}
