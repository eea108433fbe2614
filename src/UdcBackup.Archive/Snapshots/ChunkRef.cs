using UdcBackup.Archive.Format;

namespace UdcBackup.Archive.Snapshots;

/// <summary>One chunk of a file: <see cref="Length"/> bytes at <see cref="Offset"/> are blob <see cref="Id"/>. Gaps are holes.</summary>
public readonly record struct ChunkRef(long Offset, int Length, BlobId Id);
