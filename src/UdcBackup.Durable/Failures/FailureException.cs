namespace UdcBackup.Durable.Failures;

/// <summary>
/// Base of every failure that crosses the durable boundary (recorded in history and rebuilt on
/// replay). Workflow code catches these; anything else thrown by workflow code fails the
/// execution with the exception's type name as error type.
/// </summary>
public abstract class FailureException : Exception
{
    protected FailureException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the stack trace recorded where the failure was first raised, if any.</summary>
    public string? OriginalStackTrace { get; init; }

    /// <inheritdoc />
    public override string? StackTrace => OriginalStackTrace ?? base.StackTrace;
}
