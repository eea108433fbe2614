namespace UdcBackup.Archive.Format;

/// <summary>What a blob holds: file content, or a chunk of a snapshot's serialized tree.</summary>
public enum BlobType : byte
{
    Data = 0,
    Tree = 1,
}
