using System.Globalization;
using System.Reflection;
using System.Text.Json;
using UdcBackup.Durable;
using UdcBackup.Durable.Workflows;

namespace UdcBackup.Server.Api;

/// <summary>
/// Checks a workflow's input where an operator gives it (<c>POST /api/workflows</c>, a schedule
/// of their own), before the runtime is asked to write anything, so a bad input is a 400 naming
/// the field and not a run that starts and fails. Three refusals: no input for a workflow whose
/// run needs one; a value of the wrong JSON type, named by its field and what the field takes
/// (the runtime's own check names C# types); and what the input itself reports through
/// <see cref="IValidatedWorkflowInput"/>, worded by the runtime (<see cref="DurableRuntime.CheckWorkflowInput"/>),
/// which refuses the same at every start. The input type comes from the runtime's registry.
/// </summary>
internal static class WorkflowInputCheck
{
    // The same reading as the runtime's: web defaults (camelCase, case-insensitive, numbers in strings).
    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    /// <summary>Why <paramref name="input"/> cannot start a run of <paramref name="type"/>, or null when it can (or the type is not registered: the caller refuses that).</summary>
    public static string? Refusal(DurableRuntime runtime, string type, JsonElement? input)
    {
        if (!runtime.TryGetRunParameter(type, out var parameter) || parameter is null)
        {
            return null;
        }

        if (input is not { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } given)
        {
            return AcceptsNull(parameter) ? null : $"Workflow '{type}' needs an input: {Takes(parameter.ParameterType)}.";
        }

        try
        {
            given.Deserialize(parameter.ParameterType, Json);
        }
        catch (JsonException e)
        {
            return $"Input does not fit workflow '{type}': {WrongValue(parameter.ParameterType, given, e.Path)}.";
        }

        // What the input says of itself, worded by the runtime as its start would refuse it.
        return runtime.CheckWorkflowInput(type, given);
    }

    private static bool AcceptsNull(ParameterInfo parameter) =>
        parameter.ParameterType.IsValueType
            ? Nullable.GetUnderlyingType(parameter.ParameterType) is not null
            : new NullabilityInfoContext().Create(parameter).ReadState != NullabilityState.NotNull;

    // The field the parser stopped at ($.systems[0].dataSets), what it takes and what was sent.
    private static string WrongValue(Type inputType, JsonElement input, string? path)
    {
        var steps = PathSteps(path);
        var (type, value) = (inputType, (JsonElement?)input);
        foreach (var step in steps)
        {
            (type, value) = (type is null ? null : StepType(type, step), value is { } v ? StepValue(v, step) : null);
        }

        var field = steps.Count == 0 ? "the input" : string.Concat(steps.Select((s, i) => s.StartsWith('[') || i == 0 ? s : "." + s));
        var takes = type is null ? "another kind of value" : Takes(type);
        return value is { } sent ? $"{field} takes {takes}; {Show(sent)} is not one" : $"{field} takes {takes}";
    }

    // "$.systems[0]['odd.name']" -> systems, [0], odd.name
    private static List<string> PathSteps(string? path)
    {
        var steps = new List<string>();
        var rest = path is ['$', ..] ? path[1..] : string.Empty;
        while (rest.Length > 0)
        {
            if (rest.StartsWith("['", StringComparison.Ordinal) && rest.IndexOf("']", StringComparison.Ordinal) is > 1 and var quoted)
            {
                steps.Add(rest[2..quoted]);
                rest = rest[(quoted + 2)..];
            }
            else if (rest[0] == '[' && rest.IndexOf(']', StringComparison.Ordinal) is > 0 and var close)
            {
                steps.Add(rest[..(close + 1)]);
                rest = rest[(close + 1)..];
            }
            else
            {
                var name = rest.TrimStart('.');
                var end = name.IndexOfAny(['.', '[']);
                steps.Add(end < 0 ? name : name[..end]);
                rest = end < 0 ? string.Empty : name[end..];
            }
        }

        return steps;
    }

    private static Type? StepType(Type type, string step)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (step.StartsWith('['))
        {
            return ElementType(type);
        }

        return type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .FirstOrDefault(p => string.Equals(JsonNamingPolicy.CamelCase.ConvertName(p.Name), step, StringComparison.OrdinalIgnoreCase))?.PropertyType;
    }

    private static JsonElement? StepValue(JsonElement value, string step)
    {
        if (step.StartsWith('['))
        {
            return value.ValueKind == JsonValueKind.Array && int.TryParse(step[1..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < value.GetArrayLength()
                ? value[index]
                : null;
        }

        return value.ValueKind == JsonValueKind.Object
            ? value.EnumerateObject().Where(p => string.Equals(p.Name, step, StringComparison.OrdinalIgnoreCase)).Select(p => (JsonElement?)p.Value).FirstOrDefault()
            : null;
    }

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type == typeof(string) ? null
        : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

    // What a field of this type takes, in an operator's words (never a C# type name).
    private static string Takes(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (ParameterBindingFailure.Takes(type) is { } simple)
        {
            return simple;
        }

        if (type.IsEnum)
        {
            // Read as numbers, as the runtime writes them.
            return $"a number: {string.Join(", ", Enum.GetValues(type).Cast<object>().Select(v => $"{Convert.ToInt64(v, CultureInfo.InvariantCulture)} ({v})"))}";
        }

        if (type == typeof(string))
        {
            return "text";
        }

        if (type == typeof(JsonElement))
        {
            return "any JSON value";
        }

        if (type.GetInterfaces().Append(type).Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>)))
        {
            return "an object of names to values";
        }

        if (ElementType(type) is not null)
        {
            return "a list (JSON array)";
        }

        var fields = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name));
        return $"a JSON object with {string.Join(", ", fields)}";
    }

    private static string Show(JsonElement value)
    {
        var text = value.GetRawText();
        return text.Length <= 60 ? text : $"{text[..57]}...";
    }
}
