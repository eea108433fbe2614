namespace UdcBackup.Firewall.Templates;

/// <summary>
/// Commands that drive a firewall the project has no native support for. Each command is an
/// argument array; an entry may contain placeholders that are replaced by validated values and
/// stay one argument (no shell ever sees them):
/// <c>{port}</c>, <c>{source}</c>, <c>{destination}</c>, <c>{protocol}</c>, <c>{job}</c>, <c>{tag}</c>
/// in <see cref="Open"/>; the same plus <c>{handle}</c> in <see cref="Close"/>; <c>{prefix}</c> in
/// <see cref="List"/>. Output contracts: <see cref="Open"/> may print the rule's handle on its
/// first line; <see cref="List"/> prints one open window per line as <c>TAG [HANDLE]</c>;
/// <see cref="Snapshot"/> prints the complete rule set. Any non-zero exit is a failure.
/// </summary>
public sealed class CommandTemplateOptions
{
    /// <summary>Name of this firewall in windows and logs.</summary>
    public string Name { get; set; } = "command";

    /// <summary>Opens a window.</summary>
    public IList<string> Open { get; set; } = [];

    /// <summary>Closes the window with the given tag/handle.</summary>
    public IList<string> Close { get; set; } = [];

    /// <summary>Lists open windows.</summary>
    public IList<string> List { get; set; } = [];

    /// <summary>Prints the full rule set.</summary>
    public IList<string> Snapshot { get; set; } = [];

    /// <summary>Returns a validated copy (unknown placeholders and empty commands are refused).</summary>
    public CommandTemplateOptions Validated()
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            throw new ArgumentException("Firewall name is empty", nameof(Name));
        }

        CommandTemplate.Validate(Open, nameof(Open), CommandTemplate.WindowPlaceholders);
        CommandTemplate.Validate(Close, nameof(Close), [.. CommandTemplate.WindowPlaceholders, "handle"]);
        CommandTemplate.Validate(List, nameof(List), ["prefix"]);
        CommandTemplate.Validate(Snapshot, nameof(Snapshot), []);
        return new CommandTemplateOptions
        {
            Name = Name,
            Open = Open.ToList(),
            Close = Close.ToList(),
            List = List.ToList(),
            Snapshot = Snapshot.ToList(),
        };
    }
}
