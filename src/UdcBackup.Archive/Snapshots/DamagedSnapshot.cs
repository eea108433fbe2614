namespace UdcBackup.Archive.Snapshots;

/// <summary>
/// A snapshot manifest that cannot be read, decrypted or parsed: <paramref name="File"/> is its name
/// in the snapshots folder, <paramref name="Message"/> says what is wrong with it.
/// </summary>
public sealed record DamagedSnapshot(string File, string Message);
