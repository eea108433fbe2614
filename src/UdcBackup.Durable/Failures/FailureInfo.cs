using System.Text.Json;
using System.Text.Json.Serialization;

namespace UdcBackup.Durable.Failures;

/// <summary>
/// The serialised form of a failure, as recorded in history and returned by describe. Converts
/// to and from the exception types of this namespace so replay rebuilds the same exception.
/// </summary>
public sealed record FailureInfo
{
    /// <summary>Gets the kind: Application, Activity, ChildWorkflow, Canceled, Timeout or NonDeterminism.</summary>
    public required string Kind { get; init; }

    public required string Message { get; init; }

    /// <summary>Gets the error type (for Application failures, what retry policies match).</summary>
    public string? ErrorType { get; init; }

    public bool NonRetryable { get; init; }

    public JsonElement? Details { get; init; }

    public string? StackTrace { get; init; }

    [JsonConverter(typeof(JsonStringEnumConverter<TimeoutType>))]
    public TimeoutType? TimeoutType { get; init; }

    public string? ActivityType { get; init; }

    public int? Attempt { get; init; }

    public string? WorkflowId { get; init; }

    public string? WorkflowType { get; init; }

    public long? EventId { get; init; }

    public FailureInfo? Cause { get; init; }

    /// <summary>Captures an exception; non-failure exceptions become Application failures named after their CLR type.</summary>
    public static FailureInfo FromException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var cause = exception.InnerException is { } inner ? FromException(inner) : null;
        return exception switch
        {
            ApplicationFailureException a => new() { Kind = "Application", Message = a.Message, ErrorType = a.ErrorType, NonRetryable = a.NonRetryable, Details = a.Details, StackTrace = a.StackTrace, Cause = cause },
            ActivityFailureException a => new() { Kind = "Activity", Message = a.Message, ActivityType = a.ActivityType, Attempt = a.Attempt, EventId = a.ActivityId, Cause = cause },
            ChildWorkflowFailureException c => new() { Kind = "ChildWorkflow", Message = c.Message, WorkflowId = c.WorkflowId, WorkflowType = c.WorkflowType, Cause = cause },
            CanceledFailureException c => new() { Kind = "Canceled", Message = c.Message, Cause = cause },
            OperationCanceledException o => new() { Kind = "Canceled", Message = o.Message },
            TimeoutFailureException t => new() { Kind = "Timeout", Message = t.Message, TimeoutType = t.TimeoutType, Cause = cause },
            NonDeterminismException n => new() { Kind = "NonDeterminism", Message = n.Detail, EventId = n.EventId, ErrorType = nameof(NonDeterminismException), NonRetryable = true },
            _ => new() { Kind = "Application", Message = exception.Message, ErrorType = exception.GetType().Name, StackTrace = exception.StackTrace, Cause = cause },
        };
    }

    /// <summary>Rebuilds the exception this failure was captured from.</summary>
    public Exception ToException()
    {
        var inner = Cause?.ToException();
        return Kind switch
        {
            "Activity" => new ActivityFailureException(Message, ActivityType ?? string.Empty, (int)(EventId ?? 0), Attempt ?? 0, inner),
            "ChildWorkflow" => new ChildWorkflowFailureException(Message, WorkflowType ?? string.Empty, WorkflowId ?? string.Empty, inner),
            "Canceled" => new CanceledFailureException(Message, inner),
            "Timeout" => new TimeoutFailureException(Message, TimeoutType ?? Failures.TimeoutType.StartToClose, inner),
            "NonDeterminism" => new NonDeterminismException(EventId ?? 0, Message),
            _ => new ApplicationFailureException(Message, ErrorType, NonRetryable, Details, inner) { OriginalStackTrace = StackTrace },
        };
    }
}
