namespace UdcBackup.Archive.Repository;

/// <summary>One password slot: its key file name, when and where it was made, its key derivation, and whether it opened the repository.</summary>
public sealed record RepositoryKey(string Id, DateTimeOffset Created, string Host, string Kdf, int Iterations, bool Current);
