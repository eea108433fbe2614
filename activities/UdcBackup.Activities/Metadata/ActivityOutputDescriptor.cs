namespace UdcBackup.Activities.Metadata;

/// <summary>One output as the catalog publishes it.</summary>
public sealed record ActivityOutputDescriptor(string Name, ActivityInputKind Kind, string Description);
