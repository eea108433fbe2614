namespace UdcBackup.Archive.Repository;

/// <summary>
/// An index file that cannot be read, decrypted or parsed: <paramref name="File"/> is its name in the
/// index folder, <paramref name="Message"/> says what is wrong with it. Loading the index leaves it
/// out and reads the packs no other index file lists from their own headers.
/// </summary>
public sealed record DamagedIndexFile(string File, string Message)
{
    /// <summary>The one line a backup or restore adds to its warnings for this file.</summary>
    public string Warning => $"{Message}; it was left out and the packs no other index file lists were read from their own headers ('udc archive repair index' rewrites the index)";
}
