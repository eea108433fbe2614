namespace UdcBackup.Agents.Identity;

/// <summary>
/// Writes secrets (private keys, token hashes) to files created with mode 0600 from the start, so
/// there is no moment in which another user could open them.
/// </summary>
public static class SecureFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates (or truncates) a file readable and writable by the owner only.</summary>
    public static FileStream CreatePrivate(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }

        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        return new FileStream(path, options);
    }

    /// <summary>Writes text to a new owner-only file (atomically: temporary file, then rename).</summary>
    public static void WritePrivateText(string path, string text)
    {
        var temporary = path + ".tmp";
        using (var stream = CreatePrivate(temporary))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(text);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Creates a directory accessible by the owner only.</summary>
    public static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
