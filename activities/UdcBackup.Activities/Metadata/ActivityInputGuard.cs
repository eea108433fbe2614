using System.Collections.Concurrent;
using System.Text.Json;
using UdcBackup.Durable.Failures;

namespace UdcBackup.Activities.Metadata;

/// <summary>
/// What every activity calls first: validates its input against the inputs its type declares and
/// fails the activity with a non-retryable <see cref="InvalidInputErrorType"/> listing every problem,
/// because retrying a bad input can only fail again.
/// </summary>
public static class ActivityInputGuard
{
    /// <summary>Error type of a refused input.</summary>
    public const string InvalidInputErrorType = "InvalidActivityInput";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<ActivityInputDescriptor>> Inputs = new();

    public static void EnsureValid<T>(string activity, T input)
        where T : class
    {
        if (input is null)
        {
            throw new ApplicationFailureException($"{activity}: no input given", InvalidInputErrorType, nonRetryable: true);
        }

        var declared = Inputs.GetOrAdd(typeof(T), ActivityCatalog.InputsOf);
        var errors = ActivityInputValidator.Validate(declared, JsonSerializer.SerializeToElement(input, Json));
        if (errors.Count > 0)
        {
            throw new ApplicationFailureException(
                $"{activity}: invalid input: {string.Join("; ", errors)}",
                InvalidInputErrorType,
                nonRetryable: true,
                details: errors);
        }
    }
}
