namespace UdcBackup.Activities.Metadata;

/// <summary>
/// Describes one output of an activity on the property of its result record, so the designer can
/// offer it in expressions of later nodes (e.g. <c>snapshotId</c> of a stream).
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class ActivityOutputAttribute : Attribute
{
    public ActivityOutputAttribute(ActivityInputKind kind, string description)
    {
        Kind = kind;
        Description = description;
    }

    /// <summary>Gets the output's type.</summary>
    public ActivityInputKind Kind { get; }

    /// <summary>Gets the help text of the output.</summary>
    public string Description { get; }
}
