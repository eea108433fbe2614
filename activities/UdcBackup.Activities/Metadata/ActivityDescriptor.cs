namespace UdcBackup.Activities.Metadata;

/// <summary>
/// One activity as the designer and the API see it: the name it is registered under in the
/// durable runtime, its palette entry and its typed inputs and outputs.
/// </summary>
public sealed record ActivityDescriptor(
    string Name,
    string Category,
    string DisplayName,
    string Summary,
    string? Description,
    IReadOnlyList<ActivityInputDescriptor> Inputs,
    IReadOnlyList<ActivityOutputDescriptor> Outputs);
