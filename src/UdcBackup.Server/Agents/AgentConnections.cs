using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using UdcBackup.Agents.Hosting;
using UdcBackup.Agents.Identity;
using UdcBackup.Agents.Tls;
using UdcBackup.Durable.Failures;

namespace UdcBackup.Server.Agents;

/// <summary>
/// The controller's mutual-TLS connections to agents: one HTTP/2 client per agent endpoint and
/// expected identity, presenting the controller's certificate and accepting only a server whose
/// certificate comes from the controller's CA and names exactly that system and role (an agent
/// enrolled as another system, or a stranger on the port, fails the handshake). Answers are
/// turned into results or into <see cref="ApplicationFailureException"/>s whose type says what to
/// do: <see cref="UnreachableErrorType"/> (transport; retried by the activity's policy),
/// <see cref="IdentityErrorType"/> (wrong or missing certificate; not retried),
/// <see cref="RefusedErrorType"/> (the agent or the media agent behind it said no; not retried)
/// <see cref="DamagedDataErrorType"/> (the repository holds damaged data; not retried),
/// <see cref="RepositoryFullErrorType"/> (the repository has no space left; not retried),
/// <see cref="RestoreTargetFullErrorType"/> (a restore's target has no space left; not retried)
/// and <see cref="FailedErrorType"/> (the agent tried and failed, e.g. 502; retried).
/// </summary>
public sealed class AgentConnections : IDisposable
{
    public const string UnreachableErrorType = "AgentUnreachable";
    public const string IdentityErrorType = "AgentIdentityMismatch";
    public const string RefusedErrorType = "AgentRefused";
    public const string FailedErrorType = "AgentCallFailed";
    public const string DamagedDataErrorType = "AgentRepositoryDamaged";
    public const string RepositoryFullErrorType = "AgentRepositoryFull";
    public const string RestoreTargetFullErrorType = "AgentRestoreTargetFull";

    /// <summary>Content type of the agents' progress answers.</summary>
    public const string NdJson = "application/x-ndjson";

    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);
    private readonly ConcurrentDictionary<(string Endpoint, string? System, AgentRole Role), HttpClient> _clients = new();
    private readonly X509Certificate2 _certificate;
    private readonly X509Certificate2 _ca;
    private readonly TimeProvider _time;

    public AgentConnections(X509Certificate2 controllerCertificate, X509Certificate2 caCertificate, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(controllerCertificate);
        ArgumentNullException.ThrowIfNull(caCertificate);
        _certificate = controllerCertificate;
        _ca = caCertificate;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The https URL of a <c>host:port</c> endpoint from the site.</summary>
    public static Uri BaseUri(string endpoint)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(endpoint);
        return Uri.TryCreate($"https://{endpoint}/", UriKind.Absolute, out var uri) && uri.Port > 0
            ? uri
            : throw new ApplicationFailureException($"agent endpoint '{endpoint}' is not host:port", RefusedErrorType, nonRetryable: true);
    }

    /// <summary>
    /// Sends <paramref name="body"/> as JSON to <paramref name="path"/> on the agent of
    /// <paramref name="systemId"/> (any system when null) in <paramref name="role"/> and returns the
    /// successful answer; <paramref name="timeout"/> bounds the whole call (null: only the token).
    /// With <paramref name="streamed"/> the call asks for NDJSON and returns once the headers are
    /// in, so the caller reads the body as it comes. Statuses in <paramref name="answered"/> are
    /// returned to the caller, who reads them, instead of thrown as failures; <paramref name="repository"/>
    /// names the media agent's repository the call concerns, <paramref name="restoreTarget"/> the
    /// restore target it writes (see <see cref="Failure"/>).
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string endpoint, string? systemId, AgentRole role, string path, object? body, TimeSpan? timeout, CancellationToken cancellationToken, bool streamed = false, IReadOnlyCollection<HttpStatusCode>? answered = null, string? repository = null, string? restoreTarget = null)
    {
        var who = systemId is null ? $"the {SystemIdentity.RoleName(role)} agent at {endpoint}" : $"the {SystemIdentity.RoleName(role)} agent of {systemId} at {endpoint}";
        var client = _clients.GetOrAdd((endpoint, systemId, role), key => Create(key.System, key.Role));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout is { } limit)
        {
            deadline.CancelAfter(limit);
        }

        using var request = new HttpRequestMessage(method, new Uri(BaseUri(endpoint), path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = body is null ? null : JsonContent.Create(body, body.GetType(), options: JsonSerializerOptions.Web),
        };
        if (streamed)
        {
            request.Headers.Accept.ParseAdd(NdJson);
        }

        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, streamed ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && deadline.IsCancellationRequested)
        {
            throw new ApplicationFailureException($"{who} did not answer {path} within {timeout}", UnreachableErrorType);
        }
        catch (HttpRequestException ex) when (FindInner<AuthenticationException>(ex) is not null)
        {
            throw new ApplicationFailureException(
                $"{who} did not present a certificate from this controller's CA for {Expected(systemId, role)}: enroll it (udc agent token create, then udc agent enroll on that system) and check the endpoint in the site ({ex.Message})",
                IdentityErrorType,
                nonRetryable: true);
        }
        catch (HttpRequestException ex)
        {
            throw new ApplicationFailureException($"cannot reach {who}: {ex.Message} (is the agent running and the endpoint in the site right?)", UnreachableErrorType);
        }

        if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotFound && method == HttpMethod.Delete || answered?.Contains(response.StatusCode) == true)
        {
            return response;
        }

        using (response)
        {
            var (detail, type) = await ReadProblemAsync(response, titled: true, cancellationToken);
            throw Failure(who, path, (int)response.StatusCode, detail, type, repository, restoreTarget);
        }
    }

    /// <summary>
    /// The failure for an agent's answer <paramref name="status"/>: 400/403/404/422 are refusals
    /// that retrying cannot change; damaged repository data (problem <paramref name="type"/>
    /// <see cref="AgentProblemTypes.DamagedData"/>) reads the same on every try, and a full
    /// repository (<see cref="AgentProblemTypes.NoSpace"/>, 507) stays full until an operator frees
    /// space, and so does a full restore target on the disk agent's host
    /// (<see cref="AgentProblemTypes.RestoreTargetNoSpace"/>, 507: each retry would only fill it
    /// again), so none of them is retried; anything else (409 busy, 5xx) may pass and is retried.
    /// <paramref name="repository"/> names the repository as the site knows it (media agent and
    /// name), for a call that reached it through another agent; <paramref name="restoreTarget"/>
    /// the restore target (folder and system) a restore writes.
    /// </summary>
    public static ApplicationFailureException Failure(string who, string path, int status, string detail, string? type = null, string? repository = null, string? restoreTarget = null) =>
        status is 400 or 403 or 404 or 422
            ? new ApplicationFailureException($"{who} refused {path} ({status}): {detail}", RefusedErrorType, nonRetryable: true)
            : type == AgentProblemTypes.DamagedData
            ? new ApplicationFailureException(
                $"{who} failed {path} ({status}): the repository holds damaged data, so no retry can pass; udc archive verify on the media agent's host names what is damaged. {detail}",
                DamagedDataErrorType,
                nonRetryable: true)
            : type == AgentProblemTypes.NoSpace
            ? new ApplicationFailureException(
                $"{who} failed {path} ({status}): {repository ?? "the media agent's repository"} has no space left, so no retry can pass; free space there (forget and prune snapshots, or grow its file system) and run it again. {detail}",
                RepositoryFullErrorType,
                nonRetryable: true)
            : type == AgentProblemTypes.RestoreTargetNoSpace
            ? new ApplicationFailureException(
                $"{who} failed {path} ({status}): {restoreTarget ?? "the restore target on the disk agent's system"} is full, so no retry can pass; free space there and run the restore again (the files restored so far stay and are not fetched again). {detail}",
                RestoreTargetFullErrorType,
                nonRetryable: true)
            : new ApplicationFailureException($"{who} failed {path} ({status}): {detail}", FailedErrorType);

    /// <summary>Sends and reads a JSON answer of type <typeparamref name="T"/>.</summary>
    public async Task<T> CallAsync<T>(string endpoint, string systemId, AgentRole role, string path, object body, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, endpoint, systemId, role, path, body, timeout, cancellationToken);
        return await response.Content.ReadFromJsonAsync<T>(JsonSerializerOptions.Web, cancellationToken)
            ?? throw new ApplicationFailureException($"the agent of {systemId} answered {path} with an empty body", FailedErrorType);
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        _clients.Clear();
    }

    private static string Expected(string? systemId, AgentRole role) => systemId is null ? $"a {SystemIdentity.RoleName(role)} agent" : new SystemIdentity(systemId, role).ToString();

    private static T? FindInner<T>(Exception? ex)
        where T : Exception
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is T found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>A problem answer's "title: detail" (only the detail when not <paramref name="titled"/>), or the start of a body that is not one.</summary>
    public static async Task<string> ProblemDetailAsync(HttpResponseMessage response, CancellationToken cancellationToken, bool titled = true) =>
        (await ReadProblemAsync(response, titled, cancellationToken)).Detail;

    /// <summary>A problem answer's <c>type</c>, or null (no type, or not a problem).</summary>
    public static async Task<string?> ProblemTypeAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        (await ReadProblemAsync(response, titled: true, cancellationToken)).Type;

    // The body is read and parsed once for both what the failure says and whether it may be retried.
    private static async Task<(string Detail, string? Type)> ReadProblemAsync(HttpResponseMessage response, bool titled, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var problem = JsonDocument.Parse(text);
            var root = problem.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (text.Length > 400 ? text[..400] : text, null);
            }

            var type = root.TryGetProperty("type", out var y) && y.ValueKind == JsonValueKind.String ? y.GetString() : null;
            var title = root.TryGetProperty("title", out var t) ? t.GetString() : null;
            var detail = root.TryGetProperty("detail", out var d) ? d.GetString() : null;
            return (string.Join(": ", new[] { titled ? title : null, detail }.Where(s => !string.IsNullOrWhiteSpace(s))), type);
        }
        catch (JsonException)
        {
            return (text.Length > 400 ? text[..400] : text, null);
        }
    }

    private HttpClient Create(string? systemId, AgentRole role)
    {
        var handler = MutualTls.CreateClientHandler(_certificate, _ca, systemId, role, _time);
        handler.ConnectTimeout = ConnectTimeout;
        handler.PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1);

        // Streams may take hours: each call brings its own deadline.
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }
}
