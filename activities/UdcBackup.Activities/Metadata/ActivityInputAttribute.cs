namespace UdcBackup.Activities.Metadata;

/// <summary>
/// Declares one input of an activity on the property of its input record
/// (<c>[property: ActivityInput(...)]</c> on a positional parameter). The catalog reads it to
/// build the designer's form, and <see cref="ActivityInputValidator"/> checks values against it
/// both in the designer and when the activity starts. Properties without it are not inputs a
/// user edits (they are still passed through).
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class ActivityInputAttribute : Attribute
{
    public ActivityInputAttribute(ActivityInputKind kind, string description)
    {
        Kind = kind;
        Description = description;
    }

    /// <summary>Gets the input's type.</summary>
    public ActivityInputKind Kind { get; }

    /// <summary>Gets the help text of the input.</summary>
    public string Description { get; }

    /// <summary>Gets or sets a value indicating whether the input must be given (not null, not empty).</summary>
    public bool Required { get; set; }

    /// <summary>Gets or sets the lowest allowed value of a number; <see cref="long.MinValue"/> for none.</summary>
    public long Minimum { get; set; } = long.MinValue;

    /// <summary>Gets or sets the highest allowed value of a number; <see cref="long.MaxValue"/> for none.</summary>
    public long Maximum { get; set; } = long.MaxValue;

    /// <summary>Gets or sets a regular expression a text value must match entirely.</summary>
    public string? Pattern { get; set; }

    /// <summary>Gets or sets a hint for the editor (e.g. <c>multiline</c>, <c>firewall-windows</c>, <c>data-sets</c>).</summary>
    public string? UiHint { get; set; }

    /// <summary>Gets or sets the default value as JSON text (e.g. <c>"300"</c>, <c>"true"</c>, <c>"\"text\""</c>).</summary>
    public string? Default { get; set; }
}
