using System.Text;

namespace UdcBackup.Server.Auth;

/// <summary>
/// First start with no users: creates <c>admin</c> with a random password and an API token, and
/// writes them to <c>DATA/initial-admin-password</c> and <c>DATA/admin.token</c> (mode 0600, only
/// the controller's user can read them). The files are written before the user is committed:
/// a crash in between leaves no user, so the next start simply does it again and overwrites the
/// files; the opposite order could leave an admin whose password nobody knows. The log names
/// the files, never the secrets. With users present this does nothing.
/// </summary>
public static class AdminBootstrap
{
    /// <summary>The name of the first user.</summary>
    public const string AdminUser = "admin";

    /// <summary>The bootstrap token file in the data directory.</summary>
    public const string TokenFileName = "admin.token";

    /// <summary>The first password's file in the data directory.</summary>
    public const string PasswordFileName = "initial-admin-password";

    /// <summary>Creates the first admin if there is no user; true when it did.</summary>
    public static bool EnsureAdmin(AuthStore store, string dataDirectory, TimeProvider time, Serilog.ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        if (store.HasUsers())
        {
            return false;
        }

        var password = ApiTokens.CreatePassword();
        var token = ApiTokens.Create();
        var passwordFile = Path.Combine(dataDirectory, PasswordFileName);
        var tokenFile = Path.Combine(dataDirectory, TokenFileName);
        WriteSecret(passwordFile, password);
        WriteSecret(tokenFile, token);
        if (!store.TryCreateFirstAdmin(AdminUser, PasswordHasher.Hash(password), ApiTokens.HashOf(token), time.GetUtcNow()))
        {
            return false;
        }

        logger.Warning(
            "No users yet: created user {User} (role admin). Its password is in {PasswordFile}, an API token in {TokenFile} (both mode 0600); sign in and create your own users, then delete the password file",
            AdminUser,
            passwordFile,
            tokenFile);
        return true;
    }

    private static void WriteSecret(string path, string secret)
    {
        // Deleted first: a file left by an earlier attempt may have other permissions.
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        stream.Write(Encoding.UTF8.GetBytes(secret + "\n"));
        stream.Flush(flushToDisk: true);
    }
}
