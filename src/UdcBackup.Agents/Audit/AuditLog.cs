using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace UdcBackup.Agents.Audit;

/// <summary>
/// Append-only audit log: one JSON object per line (JSON Lines), UTF-8. The file is opened in
/// append mode and created owner-read/write only; each entry is written as one complete line and
/// flushed to disk before <see cref="Append"/> returns, under a lock so concurrent requests never
/// interleave. Entries are never rewritten; rotation is left to the operator's tools (the agent
/// reopens the file for every entry, so a rename by logrotate is picked up). A write failure
/// propagates: a request whose audit record cannot be written must not be served.
/// </summary>
public sealed class AuditLog
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly object _gate = new();

    public AuditLog(string path, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _path = Path.GetFullPath(path);
        _time = time ?? TimeProvider.System;
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
    }

    /// <summary>The log file.</summary>
    public string FilePath => _path;

    /// <summary>Records an accepted request.</summary>
    public AuditEntry Accepted(string actor, string action, string reason, string? target = null, string? jobId = null, string? onBehalfOf = null) =>
        Append(actor, action, AuditDecision.Accepted, reason, target, jobId, onBehalfOf);

    /// <summary>Records a refused request.</summary>
    public AuditEntry Refused(string actor, string action, string reason, string? target = null, string? jobId = null, string? onBehalfOf = null) =>
        Append(actor, action, AuditDecision.Refused, reason, target, jobId, onBehalfOf);

    /// <summary>Appends one entry stamped with the current time.</summary>
    public AuditEntry Append(string actor, string action, AuditDecision decision, string reason, string? target = null, string? jobId = null, string? onBehalfOf = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(actor);
        ArgumentException.ThrowIfNullOrEmpty(action);
        ArgumentNullException.ThrowIfNull(reason);
        var entry = new AuditEntry
        {
            Time = _time.GetUtcNow(),
            Actor = actor,
            OnBehalfOf = onBehalfOf,
            Action = action,
            Target = target,
            JobId = jobId,
            Decision = decision,
            Reason = reason,
        };
        var line = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(entry, Json) + "\n");
        lock (_gate)
        {
            var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.Read };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using var stream = new FileStream(_path, options);
            stream.Write(line);
            stream.Flush(flushToDisk: true);
        }

        return entry;
    }

    /// <summary>Reads every entry back (for tests and the operator's `udc audit` view).</summary>
    public IReadOnlyList<AuditEntry> ReadAll()
    {
        if (!File.Exists(_path))
        {
            return [];
        }

        return File.ReadLines(_path)
            .Where(l => l.Length > 0)
            .Select(l => JsonSerializer.Deserialize<AuditEntry>(l, Json) ?? throw new InvalidDataException($"Empty audit line in {_path}"))
            .ToList();
    }
}
