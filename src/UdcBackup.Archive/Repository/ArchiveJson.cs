using System.Text.Json.Serialization;
using UdcBackup.Archive.Crypto;
using UdcBackup.Archive.Snapshots;

namespace UdcBackup.Archive.Repository;

/// <summary>
/// Serializers for the repository's JSON files (config, keys, locks, snapshot manifests), generated
/// at compile time: the reflection-based serializer emitted and compiled accessors in every
/// process, a measurable part of a short command such as a no-change backup. The names and shapes
/// come from the types' attributes, so the files are the same as before.
/// </summary>
[JsonSerializable(typeof(RepositoryConfig))]
[JsonSerializable(typeof(KeyFile))]
[JsonSerializable(typeof(Snapshot))]
[JsonSerializable(typeof(RepositoryLock.LockInfo))]
internal sealed partial class ArchiveJson : JsonSerializerContext
{
    /// <summary>The same serializers writing indented JSON, for the files people may read (config).</summary>
    public static ArchiveJson Indented { get; } = new(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
}
