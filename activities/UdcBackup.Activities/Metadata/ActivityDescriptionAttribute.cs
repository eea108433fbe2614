namespace UdcBackup.Activities.Metadata;

/// <summary>
/// What the designer palette shows for an activity method (next to its <c>[Activity]</c>
/// attribute): the category it is filed under, a display name and a human summary template whose
/// <c>{inputName}</c> placeholders are filled with the node's input values (for plan previews and
/// history lines, e.g. "open port {port} for job {jobId}").
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class ActivityDescriptionAttribute : Attribute
{
    public ActivityDescriptionAttribute(string category, string displayName, string summary)
    {
        Category = category;
        DisplayName = displayName;
        Summary = summary;
    }

    /// <summary>Gets the palette group (Firewall, System, Data, Catalog ...).</summary>
    public string Category { get; }

    /// <summary>Gets the name shown on the palette entry and the node.</summary>
    public string DisplayName { get; }

    /// <summary>Gets the summary template with <c>{input}</c> placeholders.</summary>
    public string Summary { get; }

    /// <summary>Gets or sets a longer explanation: what the activity does and what makes it safe to retry.</summary>
    public string? Description { get; set; }
}
