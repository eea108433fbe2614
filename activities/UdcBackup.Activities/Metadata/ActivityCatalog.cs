using System.Reflection;
using System.Text.Json;
using UdcBackup.Durable.Activities;
using UdcBackup.ScriptContract;

namespace UdcBackup.Activities.Metadata;

/// <summary>
/// The description of every registered activity, built by reflection over the activity classes:
/// each public method with <c>[Activity]</c> and <c>[ActivityDescription]</c> becomes an
/// <see cref="ActivityDescriptor"/>; its inputs are the <c>[ActivityInput]</c> properties of the
/// method's parameter type, its outputs the public properties of its result type. The name is the
/// runtime's (attribute name, else the method name without "Async"), so the designer and the
/// workers never disagree. An <c>[Activity]</c> method without a description is an error at
/// build time of the catalog: every product activity must be visible to the designer.
/// </summary>
public sealed class ActivityCatalog
{
    private readonly Dictionary<string, ActivityDescriptor> _byName;

    private ActivityCatalog(IEnumerable<ActivityDescriptor> descriptors)
    {
        _byName = new Dictionary<string, ActivityDescriptor>(StringComparer.Ordinal);
        foreach (var descriptor in descriptors)
        {
            if (!_byName.TryAdd(descriptor.Name, descriptor))
            {
                throw new ArgumentException($"Activity '{descriptor.Name}' is declared twice");
            }
        }
    }

    /// <summary>Gets every activity, ordered by category then display name.</summary>
    public IReadOnlyList<ActivityDescriptor> Activities =>
        _byName.Values.OrderBy(a => a.Category, StringComparer.Ordinal).ThenBy(a => a.DisplayName, StringComparer.Ordinal).ToList();

    /// <summary>Builds the catalog of the given activity classes.</summary>
    public static ActivityCatalog FromTypes(IEnumerable<Type> activityTypes)
    {
        ArgumentNullException.ThrowIfNull(activityTypes);
        return new ActivityCatalog(activityTypes.SelectMany(Describe));
    }

    /// <summary>Finds an activity by its registered name.</summary>
    public ActivityDescriptor? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Validates an input payload for activity <paramref name="name"/>; an unknown name is one error.</summary>
    public IReadOnlyList<ActivityInputError> Validate(string name, JsonElement input) =>
        Find(name) is { } descriptor
            ? ActivityInputValidator.Validate(descriptor.Inputs, input)
            : [new ActivityInputError("activity", $"unknown activity '{name}'; known: {string.Join(", ", _byName.Keys.Order(StringComparer.Ordinal))}")];

    /// <summary>The descriptor of one method (used by the catalog and by the start-time guard).</summary>
    public static ActivityDescriptor DescribeMethod(MethodInfo method)
    {
        ArgumentNullException.ThrowIfNull(method);
        var description = method.GetCustomAttribute<ActivityDescriptionAttribute>()
            ?? throw new InvalidOperationException($"{method.DeclaringType?.Name}.{method.Name} is an activity without [ActivityDescription]; the designer cannot show it");
        var parameter = method.GetParameters().SingleOrDefault()?.ParameterType;
        return new ActivityDescriptor(
            RuntimeName(method),
            description.Category,
            description.DisplayName,
            description.Summary,
            description.Description,
            parameter is null ? [] : InputsOf(parameter),
            OutputsOf(ResultType(method.ReturnType)));
    }

    /// <summary>The inputs declared on an input record type.</summary>
    public static IReadOnlyList<ActivityInputDescriptor> InputsOf(Type inputType)
    {
        ArgumentNullException.ThrowIfNull(inputType);
        return inputType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Property: p, Input: p.GetCustomAttribute<ActivityInputAttribute>()))
            .Where(x => x.Input is not null)
            .Select(x => new ActivityInputDescriptor(
                JsonNamingPolicy.CamelCase.ConvertName(x.Property.Name),
                x.Input!.Kind,
                x.Input.Description,
                x.Input.Required,
                x.Input.Minimum == long.MinValue ? DefaultMinimum(x.Input.Kind) : x.Input.Minimum,
                x.Input.Maximum == long.MaxValue ? DefaultMaximum(x.Input.Kind) : x.Input.Maximum,
                x.Input.Pattern ?? DefaultPattern(x.Input.Kind),
                x.Input.UiHint,
                x.Input.Default is null ? null : JsonDocument.Parse(x.Input.Default).RootElement.Clone()))
            .ToList();
    }

    private static IEnumerable<ActivityDescriptor> Describe(Type type) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            .Where(m => m.GetCustomAttribute<ActivityAttribute>() is not null)
            .Select(DescribeMethod);

    private static string RuntimeName(MethodInfo method)
    {
        var name = method.GetCustomAttribute<ActivityAttribute>()?.Name;
        if (!string.IsNullOrEmpty(name))
        {
            return name;
        }

        return method.Name.EndsWith("Async", StringComparison.Ordinal) ? method.Name[..^5] : method.Name;
    }

    private static Type? ResultType(Type returnType)
    {
        if (returnType == typeof(void) || returnType == typeof(Task))
        {
            return null;
        }

        return returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(Task<>)
            ? returnType.GetGenericArguments()[0]
            : returnType;
    }

    private static List<ActivityOutputDescriptor> OutputsOf(Type? resultType) =>
        resultType is null
            ? []
            : resultType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Select(p => (Property: p, Output: p.GetCustomAttribute<ActivityOutputAttribute>()))
                .Where(x => x.Output is not null)
                .Select(x => new ActivityOutputDescriptor(JsonNamingPolicy.CamelCase.ConvertName(x.Property.Name), x.Output!.Kind, x.Output.Description))
                .ToList();

    private static long? DefaultMinimum(ActivityInputKind kind) => kind == ActivityInputKind.Port ? 1 : null;

    private static long? DefaultMaximum(ActivityInputKind kind) => kind == ActivityInputKind.Port ? 65535 : null;

    // Ids of the site model and script names have fixed alphabets; the designer shows these as
    // the rule, and the agent refuses anything else anyway.
    private static string? DefaultPattern(ActivityInputKind kind) => kind switch
    {
        ActivityInputKind.System => "[a-z0-9][a-z0-9-]{0,62}",
        ActivityInputKind.Script => ScriptName.Pattern,
        _ => null,
    };
}
