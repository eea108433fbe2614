using System.Security.Cryptography;
using System.Text.Json;
using UdcBackup.Archive.Crypto;
using UdcBackup.Archive.Native;

namespace UdcBackup.Archive.Repository;

/// <summary>
/// The password slots of a repository: every file in <c>keys/</c> wraps the same master key under a
/// different password, so adding or removing a password never re-encrypts data. A new slot is
/// written atomically before anything is removed (a crash leaves one slot too many, never none);
/// removing the last slot, or the slot whose password opened the repository, is refused, so a
/// repository can never be left without a working password. The caller proves the current password
/// by opening the repository; a wrong one fails there, before anything is touched.
/// </summary>
public sealed class RepositoryKeys(ArchiveRepository repository)
{
    private string Folder => Path.Combine(repository.Root, "keys");

    /// <summary>Every readable key file, oldest first.</summary>
    public IReadOnlyList<RepositoryKey> List()
    {
        var keys = new List<RepositoryKey>();
        foreach (var path in Directory.EnumerateFiles(Folder))
        {
            var id = Path.GetFileName(path);
            var file = Read(path);
            keys.Add(new RepositoryKey(id, file.Created, file.Host, file.Kdf, file.Iterations, id == repository.CurrentKeyId));
        }

        return [.. keys.OrderBy(k => k.Created).ThenBy(k => k.Id, StringComparer.Ordinal)];
    }

    /// <summary>Adds a slot for <paramref name="password"/>; returns its id.</summary>
    public string Add(string password, int iterations = KeyFile.DefaultIterations)
    {
        if (string.IsNullOrEmpty(password))
        {
            throw new ArchiveException(ArchiveErrorCode.InvalidArgument, "An empty password is not allowed.");
        }

        return Write(repository.Root, KeyFile.Create(repository.Key, password, iterations, repository.Time));
    }

    /// <summary>Removes the slot with this id (or unique prefix); the current and the last slot are refused.</summary>
    public void Remove(string idOrPrefix)
    {
        var keys = List();
        var matches = keys.Where(k => k.Id.StartsWith(idOrPrefix, StringComparison.OrdinalIgnoreCase)).ToList();
        var key = matches.Count switch
        {
            1 => matches[0],
            0 => throw new ArchiveException(ArchiveErrorCode.InvalidArgument, $"No key with id '{idOrPrefix}'."),
            _ => throw new ArchiveException(ArchiveErrorCode.InvalidArgument, $"Key id prefix '{idOrPrefix}' is ambiguous ({matches.Count} matches)."),
        };
        if (keys.Count == 1)
        {
            throw new ArchiveException(ArchiveErrorCode.InvalidArgument, "Refusing to remove the last key: the repository would have no password left.");
        }

        if (key.Current)
        {
            throw new ArchiveException(ArchiveErrorCode.InvalidArgument, $"Refusing to remove key {key.Id[..8]}: it is the one this password opens; open with another password to remove it, or use 'key passwd'.");
        }

        File.Delete(Path.Combine(Folder, key.Id));
        LinuxFileSystem.SyncDirectory(Folder);
    }

    /// <summary>Replaces the current slot's password: the new slot is written first, then the old one removed. Returns the new id.</summary>
    public string ChangePassword(string newPassword)
    {
        var id = Add(newPassword);
        File.Delete(Path.Combine(Folder, repository.CurrentKeyId));
        LinuxFileSystem.SyncDirectory(Folder);
        return id;
    }

    /// <summary>Writes a key file named by the SHA-256 of its JSON bytes; returns the name.</summary>
    internal static string Write(string root, KeyFile file)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(file, ArchiveJson.Default.KeyFile);
        var id = Convert.ToHexStringLower(SHA256.HashData(bytes));
        ArchiveRepository.WriteAtomically(Path.Combine(root, "tmp"), Path.Combine(root, "keys", id), bytes);
        return id;
    }

    private static KeyFile Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), ArchiveJson.Default.KeyFile) ?? throw new JsonException("empty");
        }
        catch (JsonException ex)
        {
            throw new ArchiveException(ArchiveErrorCode.DamagedRepository, $"Key file {Path.GetFileName(path)} is not readable: {ex.Message}");
        }
    }
}
