using UdcBackup.Archive.Chunking;
using UdcBackup.Archive.Format;

namespace UdcBackup.Archive.Tests;

/// <summary>The reference the chunking tests compare a repository against: cut points and ids of one whole input.</summary>
internal static class ChunkCuts
{
    /// <summary>Cuts <paramref name="data"/> from its start as <paramref name="chunker"/> does and names each chunk by <paramref name="id"/>.</summary>
    public static List<(long Offset, int Length, BlobId Id)> Of(ReadOnlySpan<byte> data, FastCdcChunker chunker, Func<ReadOnlySpan<byte>, BlobId> id)
    {
        var cuts = new List<(long, int, BlobId)>();
        for (var position = 0; position < data.Length;)
        {
            var length = chunker.NextBoundary(data.Slice(position, Math.Min(chunker.MaxSize, data.Length - position)));
            cuts.Add((position, length, id(data.Slice(position, length))));
            position += length;
        }

        return cuts;
    }
}
