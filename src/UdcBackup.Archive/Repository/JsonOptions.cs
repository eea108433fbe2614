using System.Text.Json;

namespace UdcBackup.Archive.Repository;

/// <summary>Shared serializer settings for the plaintext JSON files people may read.</summary>
internal static class JsonOptions
{
    public static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
}
