using System.Net;
using UdcBackup.Testing;

namespace UdcBackup.Server.Tests.Host;

/// <summary>
/// The web app's fallback: a path the app routes in the browser gets <c>index.html</c>, an
/// existing asset is served as itself, and a missing file under <c>/assets</c> (an old build's
/// bundle asked for by a page left open across an upgrade) is a 404, not <c>index.html</c> with
/// 200, which a browser fails to run as a script.
/// </summary>
public sealed class WebAppFallbackTests
{
    [Fact]
    public async Task A_missing_asset_is_404_while_app_routes_get_the_app()
    {
        var root = Directory.CreateTempSubdirectory("udc-webroot-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(root.FullName, "index.html"), "<!doctype html><title>app</title>");
            Directory.CreateDirectory(Path.Combine(root.FullName, "assets"));
            await File.WriteAllTextAsync(Path.Combine(root.FullName, "assets", "index-new.js"), "console.log(1);");
            await using var server = await ServerProcess.StartAsync(environment: new Dictionary<string, string> { ["UDC_WEBROOT"] = root.FullName });
            using var http = new HttpClient { BaseAddress = server.BaseAddress };

            using var asset = await http.GetAsync(new Uri("/assets/index-new.js", UriKind.Relative));
            using var oldAsset = await http.GetAsync(new Uri("/assets/index-old.js", UriKind.Relative));
            using var route = await http.GetAsync(new Uri("/runs/backup-a.b", UriKind.Relative));

            asset.StatusCode.Should().Be(HttpStatusCode.OK);
            asset.Content.Headers.ContentType!.MediaType.Should().Be("text/javascript");
            oldAsset.StatusCode.Should().Be(HttpStatusCode.NotFound, "index.html in a script's place fails in the browser with a MIME error");
            route.StatusCode.Should().Be(HttpStatusCode.OK);
            (await route.Content.ReadAsStringAsync()).Should().Contain("<title>app</title>");
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
