using System.Text.Json;

namespace UdcBackup.Activities.Metadata;

/// <summary>One input as the catalog publishes it (JSON names are camelCase, like the payload).</summary>
public sealed record ActivityInputDescriptor(
    string Name,
    ActivityInputKind Kind,
    string Description,
    bool Required,
    long? Minimum,
    long? Maximum,
    string? Pattern,
    string? UiHint,
    JsonElement? Default);
