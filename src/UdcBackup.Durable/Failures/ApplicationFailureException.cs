using System.Text.Json;

namespace UdcBackup.Durable.Failures;

/// <summary>
/// A failure raised on purpose by activity or workflow code. <see cref="ErrorType"/> is what
/// <c>RetryPolicy.NonRetryableErrorTypes</c> matches; other exceptions thrown by activities are
/// converted to this type with their CLR type name as error type.
/// </summary>
public sealed class ApplicationFailureException : FailureException
{
    public ApplicationFailureException(
        string message,
        string? errorType = null,
        bool nonRetryable = false,
        object? details = null,
        Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorType = errorType ?? nameof(ApplicationFailureException);
        NonRetryable = nonRetryable;
        Details = details switch
        {
            null => null,
            JsonElement element => element,
            _ => JsonSerializer.SerializeToElement(details, Runtime.DurableJson.Options),
        };
    }

    /// <summary>Gets the error type that retry policies match against.</summary>
    public string ErrorType { get; }

    /// <summary>Gets a value indicating whether retrying is pointless whatever the policy says.</summary>
    public bool NonRetryable { get; }

    /// <summary>Gets optional structured details, as JSON.</summary>
    public JsonElement? Details { get; }

    /// <summary>Reads the details as <typeparamref name="T"/>.</summary>
    public T? GetDetails<T>() =>
        Details is { } d ? d.Deserialize<T>(Runtime.DurableJson.Options) : default;
}
