using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace UdcBackup.Activities.Metadata;

/// <summary>
/// Checks an activity's input payload (JSON, camelCase names) against its declared inputs: the
/// designer calls it as the user types, and every activity calls it through
/// <see cref="ActivityInputGuard"/> before doing anything, so a bad value fails fast with the
/// same message in both places instead of half-way through the work. Every problem is reported,
/// not only the first.
/// </summary>
public static class ActivityInputValidator
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(200);

    public static IReadOnlyList<ActivityInputError> Validate(IReadOnlyList<ActivityInputDescriptor> inputs, JsonElement payload)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var errors = new List<ActivityInputError>();
        if (payload.ValueKind != JsonValueKind.Object)
        {
            if (inputs.Count > 0)
            {
                errors.Add(new ActivityInputError("input", $"expected a JSON object with {string.Join(", ", inputs.Select(i => i.Name))}, got {payload.ValueKind}"));
            }

            return errors;
        }

        foreach (var input in inputs)
        {
            var present = TryGet(payload, input.Name, out var value) && value.ValueKind != JsonValueKind.Null;
            if (!present)
            {
                if (input.Required)
                {
                    errors.Add(new ActivityInputError(input.Name, $"is required ({input.Description})"));
                }

                continue;
            }

            if (Check(input, value) is { } message)
            {
                errors.Add(new ActivityInputError(input.Name, message));
            }
        }

        return errors;
    }

    private static bool TryGet(JsonElement payload, string name, out JsonElement value)
    {
        foreach (var property in payload.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    private static string? Check(ActivityInputDescriptor input, JsonElement value) => input.Kind switch
    {
        ActivityInputKind.Int or ActivityInputKind.Port => CheckNumber(input, value),
        ActivityInputKind.Bool => value.ValueKind is JsonValueKind.True or JsonValueKind.False ? null : $"must be true or false, got {value.ValueKind}",
        ActivityInputKind.Duration => CheckDuration(value),
        ActivityInputKind.Json => null,
        _ => CheckText(input, value),
    };

    private static string? CheckNumber(ActivityInputDescriptor input, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            return $"must be a whole number, got {Show(value)}";
        }

        if (number < (input.Minimum ?? long.MinValue) || number > (input.Maximum ?? long.MaxValue))
        {
            return $"must be between {input.Minimum?.ToString(CultureInfo.InvariantCulture) ?? "-inf"} and {input.Maximum?.ToString(CultureInfo.InvariantCulture) ?? "inf"}, got {number}";
        }

        return null;
    }

    private static string? CheckDuration(JsonElement value) =>
        value.ValueKind == JsonValueKind.String && TimeSpan.TryParse(value.GetString(), CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero
            ? null
            : $"must be a duration written [d.]hh:mm:ss (e.g. \"00:05:00\"), got {Show(value)}";

    private static string? CheckText(ActivityInputDescriptor input, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return $"must be text, got {Show(value)}";
        }

        var text = value.GetString() ?? string.Empty;
        if (input.Required && text.Length == 0)
        {
            return $"is required ({input.Description})";
        }

        if (input.Pattern is { } pattern && text.Length > 0 && !Regex.IsMatch(text, $"^(?:{pattern})$", RegexOptions.CultureInvariant, RegexTimeout))
        {
            return $"'{text}' does not match {pattern}";
        }

        return null;
    }

    private static string Show(JsonElement value) => value.ValueKind == JsonValueKind.String ? $"\"{value.GetString()}\"" : value.GetRawText();
}
