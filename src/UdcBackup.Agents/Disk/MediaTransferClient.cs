using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using UdcBackup.Agents.Hosting;
using UdcBackup.Agents.Identity;
using UdcBackup.Agents.Media;
using UdcBackup.Agents.Tls;
using UdcBackup.Archive.Restore;
using UdcBackup.Archive.Streaming;

namespace UdcBackup.Agents.Disk;

/// <summary>
/// The disk agent's side of the data path: streams the given paths to a media agent as a backup,
/// or receives a snapshot's entry stream and writes it under a target folder. The connection uses
/// the agent's certificate and accepts only the named media agent under the controller's CA; the
/// job token from the controller goes in the <c>X-Udc-Job-Token</c> header. A refusal raises
/// <see cref="MediaTransferRefusedException"/> with the media agent's reason.
/// </summary>
public sealed class MediaTransferClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _mediaAgent;

    public MediaTransferClient(AgentCredentials credentials, Uri mediaAgent, string mediaAgentId, TimeProvider? time = null, Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>>? connect = null)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(mediaAgent);
        var handler = MutualTls.CreateClientHandler(credentials.Certificate, credentials.CaCertificate, mediaAgentId, AgentRole.Media, time);
        if (connect is not null)
        {
            handler.ConnectCallback = connect;
        }

        // Requests set HTTP/2 themselves; a transfer may take hours, so no client-side timeout.
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _mediaAgent = mediaAgent;
    }

    /// <summary>Backs up <paramref name="paths"/> under the job <paramref name="token"/>.</summary>
    public async Task<BackupOutcome> BackupAsync(IReadOnlyList<string> paths, string token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var warnings = new List<string>();
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(_mediaAgent, "/v1/backup"))
        {
            Content = new EntryStreamContent(FileSystemSource.ReadAsync(paths, warnings, cancellationToken)),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Add(AgentHeaders.JobToken, token);
        using var response = await _http.SendAsync(request, cancellationToken);
        await EnsureAcceptedAsync(response, cancellationToken);
        var snapshot = await response.Content.ReadFromJsonAsync<SnapshotInfo>(JsonSerializerOptions.Web, cancellationToken)
            ?? throw new InvalidDataException("The media agent answered without a snapshot");
        return new BackupOutcome(snapshot, warnings);
    }

    /// <summary>Restores the snapshot the job <paramref name="token"/> names under <see cref="RestoreOptions.Target"/>.</summary>
    public async Task<RestoreResult> RestoreAsync(string token, RestoreOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_mediaAgent, "/v1/restore"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Add(AgentHeaders.JobToken, token);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await EnsureAcceptedAsync(response, cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        return await StreamRestore.WriteAsync(RestorePathGuard.CheckAsync(new EntryStreamReader(body).ReadAllAsync(cancellationToken), cancellationToken), options, cancellationToken);
    }

    public void Dispose() => _http.Dispose();

    private static async Task EnsureAcceptedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var detail = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var problem = JsonDocument.Parse(detail);
            if (problem.RootElement.TryGetProperty("detail", out var d) && d.GetString() is { } text)
            {
                detail = text;
            }
        }
        catch (JsonException)
        {
            // Not a problem document: keep the raw text.
        }

        throw new MediaTransferRefusedException(response.StatusCode, $"The media agent answered {(int)response.StatusCode}: {detail}");
    }
}
