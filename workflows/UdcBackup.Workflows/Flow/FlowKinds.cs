namespace UdcBackup.Workflows.Flow;

/// <summary>The node kinds of <c>udc.flow/v1</c> and the ports each has (docs/design/flow-definition.md).</summary>
public static class FlowKinds
{
    public const string Start = "start";
    public const string Activity = "activity";
    public const string Sequence = "sequence";
    public const string Parallel = "parallel";
    public const string Join = "join";
    public const string If = "if";
    public const string ForEach = "forEach";
    public const string Try = "try";
    public const string Wait = "wait";
    public const string Approval = "approval";

    private static readonly Dictionary<string, string[]> PortsByKind = new(StringComparer.Ordinal)
    {
        [Start] = ["next"],
        [Activity] = ["next"],
        [Sequence] = ["body", "next"],
        [Parallel] = ["branch"],
        [Join] = ["next"],
        [If] = ["then", "else", "next"],
        [ForEach] = ["body", "next"],
        [Try] = ["body", "finally", "next"],
        [Wait] = ["next"],
        [Approval] = ["next", "rejected"],
    };

    public static bool IsKnown(string? kind) => kind is not null && PortsByKind.ContainsKey(kind);

    /// <summary>The ports of a kind (empty for an unknown kind).</summary>
    public static IReadOnlyList<string> PortsOf(string kind) => PortsByKind.GetValueOrDefault(kind) ?? [];

    /// <summary>Whether a port may carry several edges (only a parallel's branches).</summary>
    public static bool IsMultiPort(string kind, string port) => kind == Parallel && port == "branch";
}
