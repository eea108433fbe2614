namespace UdcBackup.Server.Api.Contracts;

/// <summary>A recorded failure and its cause chain, as the API shows it.</summary>
/// <param name="Kind">Application, Activity, ChildWorkflow, Canceled, Timeout or NonDeterminism.</param>
/// <param name="Message">What went wrong.</param>
/// <param name="ErrorType">The error type retry policies match on, when there is one.</param>
/// <param name="ActivityType">The activity that failed (Activity failures).</param>
/// <param name="Attempt">The attempt that failed (Activity failures).</param>
/// <param name="Cause">The failure that caused this one.</param>
public sealed record Failure(string Kind, string Message, string? ErrorType, string? ActivityType, int? Attempt, Failure? Cause)
{
    /// <summary>The message with its causes, on one line: what an operator reads first.</summary>
    public string Describe()
    {
        var text = Message;
        for (var cause = Cause; cause is not null; cause = cause.Cause)
        {
            // Wrapping failures often repeat their cause's message; say each thing once.
            if (!text.Contains(cause.Message, StringComparison.Ordinal))
            {
                text += $" <- {cause.Message}";
            }
        }

        return text;
    }
}
