using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace UdcBackup.Cli.Client;

/// <summary>
/// A thin HTTP client for the controller's API. Every non-success answer becomes a
/// <see cref="ControllerProblemException"/> carrying the problem details' title and detail;
/// a connection that cannot be made becomes a <see cref="ControllerUnreachableException"/>.
/// Answers are returned as raw JSON text too, so <c>--json</c> prints exactly what the API said.
/// Requests carry the API token, when one is given, as <c>Authorization: Bearer</c>.
/// </summary>
public sealed class ControllerClient : IDisposable
{
    /// <summary>The JSON shape of the API: camelCase, enums as strings.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly HttpClient _http;
    private readonly Serilog.ILogger _logger;

    public ControllerClient(Uri server, Serilog.ILogger logger, HttpMessageHandler? handler = null, string? token = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        Server = server;
        _logger = logger;
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.BaseAddress = server;
        _http.Timeout = TimeSpan.FromSeconds(100);
        if (!string.IsNullOrWhiteSpace(token))
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public Uri Server { get; }

    /// <summary>Parses and checks a <c>--server</c> value.</summary>
    public static Uri ParseServer(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new CliUsageException($"--server: '{value}' is not an http:// or https:// address.");
        }

        return uri;
    }

    /// <summary>GET a resource; returns the raw JSON answer.</summary>
    public Task<string> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, null, cancellationToken);

    /// <summary>
    /// GET one page of a listing; returns the raw JSON answer and the path of the next page, read
    /// from the answer's <c>Link: &lt;PATH&gt;; rel="next"</c> header (null when it has none).
    /// </summary>
    public Task<(string Body, string? Next)> GetPageAsync(string path, CancellationToken cancellationToken) =>
        SendCoreAsync(HttpMethod.Get, path, null, cancellationToken);

    /// <summary>POST a JSON body (or none); returns the raw JSON answer (empty for 202/204 without a body).</summary>
    public Task<string> PostAsync(string path, object? body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, body, cancellationToken);

    /// <summary>PUT a JSON body (replace a resource); returns the raw JSON answer.</summary>
    public Task<string> PutAsync(string path, object? body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, path, body, cancellationToken);

    /// <summary>DELETE a resource.</summary>
    public Task<string> DeleteAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, path, null, cancellationToken);

    public void Dispose() => _http.Dispose();

    private async Task<string> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken) =>
        (await SendCoreAsync(method, path, body, cancellationToken)).Body;

    // The controller's links are absolute paths; they are sent relative to the server address like every other call.
    private static string? NextLink(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var values))
        {
            return null;
        }

        foreach (var link in values.SelectMany(v => v.Split(',')))
        {
            var open = link.IndexOf('<', StringComparison.Ordinal);
            var close = link.IndexOf('>', StringComparison.Ordinal);
            if (open >= 0 && close > open && link[(close + 1)..].Replace(" ", string.Empty, StringComparison.Ordinal).Contains("rel=\"next\"", StringComparison.Ordinal))
            {
                return link[(open + 1)..close].TrimStart('/');
            }
        }

        return null;
    }

    private async Task<(string Body, string? Next)> SendCoreAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: JsonOptions);
        }

        _logger.Debug("{Method} {Url}", method, new Uri(Server, path));
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException || e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
        {
            throw new ControllerUnreachableException(Server, e);
        }
        catch (HttpRequestException e)
        {
            // Something listens there but is not the API: http:// to a TLS port or the reverse, the
            // agents' listener, a media agent. The operator fixes the address, not the controller.
            throw ControllerUnreachableException.NotTheApi(Server, e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ControllerUnreachableException(Server, new TimeoutException($"no answer within {_http.Timeout.TotalSeconds:0} s", e));
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            _logger.Debug("{Status} {Body}", (int)response.StatusCode, text);
            if (response.IsSuccessStatusCode)
            {
                return (text, NextLink(response));
            }

            var (title, detail) = ReadProblem(text, response.ReasonPhrase);
            throw new ControllerProblemException(response.StatusCode, title, detail, text);
        }
    }

    private static (string Title, string? Detail) ReadProblem(string text, string? reason)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            var title = root.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : reason ?? "error";
            var detail = root.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                var lines = errors.EnumerateObject().SelectMany(p => p.Value.EnumerateArray().Select(m => $"{p.Name}: {m.GetString()}"));
                detail = string.Join(Environment.NewLine, new[] { detail }.Concat(lines).Where(l => !string.IsNullOrEmpty(l)));
            }

            return (title, detail);
        }
        catch (JsonException)
        {
            return (reason ?? "error", string.IsNullOrWhiteSpace(text) ? null : text.Trim());
        }
    }
}
