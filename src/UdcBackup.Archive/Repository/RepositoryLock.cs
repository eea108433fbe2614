using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using UdcBackup.Archive.IO;

namespace UdcBackup.Archive.Repository;

/// <summary>
/// Lock files in <c>locks/</c>: writers (backup) take shared locks, prune/forget an exclusive one.
/// Protocol: create our own file first, then list all files; if a conflicting live lock exists,
/// delete ours and fail (two racing takers both back off, never both proceed). A lock is stale
/// when its process is gone (same host) or its file was not refreshed for <see cref="StaleAfter"/>;
/// stale locks are ignored and removed. The holder refreshes the file's mtime periodically.
/// </summary>
public sealed class RepositoryLock : IDisposable
{
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromMinutes(5);

    // errno EROFS on Linux; .NET reports an errno it has no exception type for as the IOException's HResult.
    private const int ReadOnlyFileSystem = 30;

    private readonly string _path;
    private readonly ITimer _refresh;

    private RepositoryLock(string path, TimeProvider time)
    {
        _path = path;
        _refresh = time.CreateTimer(_ => Touch(), null, RefreshEvery, RefreshEvery);
    }

    public static RepositoryLock Acquire(string locksFolder, bool exclusive, TimeProvider time)
    {
        var info = new LockInfo(exclusive, Environment.MachineName, Environment.ProcessId, time.GetUtcNow());
        var path = Path.Combine(locksFolder, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
        Create(path, JsonSerializer.SerializeToUtf8Bytes(info, ArchiveJson.Default.LockInfo));
        foreach (var other in Directory.EnumerateFiles(locksFolder))
        {
            if (other == path)
            {
                continue;
            }

            var held = ReadLive(other, time);
            if (held is not null && (exclusive || held.Exclusive))
            {
                File.Delete(path);
                var kind = held.Exclusive ? "an exclusive" : "a shared";
                throw new ArchiveException(
                    ArchiveErrorCode.Locked,
                    $"Repository is locked: {kind} lock is held by pid {held.Pid} on {held.Host} since {held.Created:u} ({Path.GetFileName(other)}). " +
                    "Retry when that operation ends; a lock of a dead process expires by itself.");
            }
        }

        return new RepositoryLock(path, time);
    }

    // A read-only file system (EROFS) gets its own code: nobody can write there, so a reader may go on
    // without a lock; a full one (ENOSPC) too: it needs space freed, not a retry. Every other failure
    // says which lock could not be made, and why.
    private static void Create(string path, byte[] content)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, content);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(path);
            if (DiskFull.Is(ex))
            {
                throw new ArchiveException(ArchiveErrorCode.NoSpace, $"The repository cannot be locked: no space left in {Path.GetDirectoryName(path)} for the lock file ({ex.Message}). Nothing was changed; free space there and try again.", ex);
            }

            var readOnly = ex.HResult == ReadOnlyFileSystem;
            throw new ArchiveException(
                readOnly ? ArchiveErrorCode.ReadOnlyRepository : ArchiveErrorCode.IoFailure,
                readOnly
                    ? $"The repository cannot be locked: {Path.GetDirectoryName(path)} is on a read-only file system, so nothing can be written to it."
                    : $"The repository cannot be locked: creating the lock file {path} failed: {ex.Message}",
                ex);
        }
    }

    public void Dispose()
    {
        _refresh.Dispose();
        try
        {
            File.Delete(_path);
        }
        catch (IOException)
        {
            // The lock expires as stale anyway; failing the finished operation would be worse.
        }
    }

    private void Touch()
    {
        try
        {
            File.SetLastWriteTimeUtc(_path, DateTime.UtcNow);
        }
        catch (IOException)
        {
            // A missing lock file is recreated by nobody; the next taker treats us as gone.
        }
    }

    private static LockInfo? ReadLive(string path, TimeProvider time)
    {
        LockInfo? info;
        DateTime modified;
        try
        {
            info = JsonSerializer.Deserialize(File.ReadAllBytes(path), ArchiveJson.Default.LockInfo);
            modified = File.GetLastWriteTimeUtc(path);
        }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            return null; // being created or deleted right now, or garbage: not a valid lock
        }

        if (info is null)
        {
            return null;
        }

        var dead = info.Host == Environment.MachineName && !ProcessAlive(info.Pid);
        var expired = time.GetUtcNow().UtcDateTime - modified > StaleAfter;
        if (dead || expired)
        {
            TryDelete(path);
            return null;
        }

        return info;
    }

    private static bool ProcessAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Someone else removed it first, or it cannot be removed (then it was not ours to remove).
        }
    }

    /// <summary>The JSON content of a lock file.</summary>
    internal sealed record LockInfo(
        [property: JsonPropertyName("exclusive")] bool Exclusive,
        [property: JsonPropertyName("host")] string Host,
        [property: JsonPropertyName("pid")] int Pid,
        [property: JsonPropertyName("created")] DateTimeOffset Created);
}
