namespace UdcBackup.Activities.Metadata;

/// <summary>One problem with an activity input: which input and what to change.</summary>
public sealed record ActivityInputError(string Input, string Message)
{
    public override string ToString() => $"{Input}: {Message}";
}
