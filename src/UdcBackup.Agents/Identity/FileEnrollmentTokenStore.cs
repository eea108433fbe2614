using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace UdcBackup.Agents.Identity;

/// <summary>
/// Single-use, expiring enrollment tokens kept hashed in one JSON file (mode 0600) in the CA
/// folder. A token is <c>udce1_</c> + 32 random bytes in base64url; the store keeps its SHA-256, the
/// identity it enrolls and its lifetime. Redeeming marks it used and rewrites the file atomically
/// (temporary file + rename) while holding an exclusive lock file, so two processes (the server
/// and a CLI) cannot both redeem one token. Records expired for more than a week are dropped on
/// every write. Refusals raise <see cref="EnrollmentRefusedException"/> with the reason.
/// </summary>
public sealed class FileEnrollmentTokenStore
{
    private const string TokenPrefix = "udce1_";
    private static readonly TimeSpan KeepExpired = TimeSpan.FromDays(7);
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly object _gate = new();

    public FileEnrollmentTokenStore(string path, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _path = Path.GetFullPath(path);
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Creates a token that enrolls <paramref name="identity"/> once within <paramref name="lifetime"/>.</summary>
    public string Issue(SystemIdentity identity, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (lifetime <= TimeSpan.Zero || lifetime > TimeSpan.FromDays(30))
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), lifetime, "An enrollment token lives between a moment and 30 days");
        }

        var token = TokenPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var now = _time.GetUtcNow();
        Update(records => records.Add(new EnrollmentTokenRecord(Hash(token), identity.SystemId, identity.Role, now, now + lifetime, null)));
        return token;
    }

    /// <summary>Uses the token up and returns the identity it enrolls; refuses unknown, expired or used tokens.</summary>
    public SystemIdentity Redeem(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var hash = Hash(token);
        var now = _time.GetUtcNow();
        SystemIdentity? identity = null;
        Update(records =>
        {
            var index = records.FindIndex(r => r.Sha256 == hash);
            if (index < 0)
            {
                throw new EnrollmentRefusedException(EnrollmentRefusal.UnknownToken, "The enrollment token is not known to this controller");
            }

            var record = records[index];
            if (record.UsedAt is not null)
            {
                throw new EnrollmentRefusedException(EnrollmentRefusal.TokenAlreadyUsed, $"The enrollment token was already used at {record.UsedAt:u}");
            }

            if (now >= record.ExpiresAt)
            {
                throw new EnrollmentRefusedException(EnrollmentRefusal.ExpiredToken, $"The enrollment token expired at {record.ExpiresAt:u}");
            }

            records[index] = record with { UsedAt = now };
            identity = new SystemIdentity(record.SystemId, record.Role);
        });
        return identity!;
    }

    /// <summary>All stored records (hashes only), for listing by an operator.</summary>
    public IReadOnlyList<EnrollmentTokenRecord> List()
    {
        lock (_gate)
        {
            using var fileLock = AcquireFileLock();
            return Load();
        }
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private void Update(Action<List<EnrollmentTokenRecord>> change)
    {
        lock (_gate)
        {
            using var fileLock = AcquireFileLock();
            var records = Load();
            change(records);
            var cutoff = _time.GetUtcNow() - KeepExpired;
            records.RemoveAll(r => r.ExpiresAt < cutoff);
            var temporary = _path + ".tmp";
            using (var stream = SecureFile.CreatePrivate(temporary))
            {
                JsonSerializer.Serialize(stream, records, Json);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, _path, overwrite: true);
        }
    }

    private List<EnrollmentTokenRecord> Load()
    {
        if (!File.Exists(_path))
        {
            return [];
        }

        using var stream = File.OpenRead(_path);
        return JsonSerializer.Deserialize<List<EnrollmentTokenRecord>>(stream, Json)
            ?? throw new InvalidDataException($"{_path} does not hold a token list");
    }

    private FileStream AcquireFileLock()
    {
        var deadline = _time.GetUtcNow() + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                return new FileStream(_path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (_time.GetUtcNow() < deadline)
            {
                // Another process holds the lock for the few milliseconds of its update.
                Thread.Sleep(10);
            }
        }
    }
}
