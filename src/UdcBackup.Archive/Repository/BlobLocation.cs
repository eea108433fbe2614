using UdcBackup.Archive.Format;

namespace UdcBackup.Archive.Repository;

/// <summary>A blob and the pack that stores it.</summary>
public readonly record struct BlobLocation(BlobId Pack, PackedBlob Blob);
