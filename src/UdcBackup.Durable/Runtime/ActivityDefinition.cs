using System.Reflection;
using UdcBackup.Durable.Activities;

namespace UdcBackup.Durable.Runtime;

/// <summary>A registered activity: a method bound to its target instance (or a delegate), with its argument and result types.</summary>
internal sealed class ActivityDefinition
{
    private readonly MethodInfo method;
    private readonly object? target;
    private readonly PropertyInfo? resultGetter;

    public ActivityDefinition(string name, MethodInfo method, object? target)
    {
        var parameters = method.GetParameters();
        if (parameters.Length > 1)
        {
            throw new ArgumentException($"Activity {name} ({method.DeclaringType?.Name}.{method.Name}) takes at most one argument.");
        }

        Name = name;
        this.method = method;
        this.target = target;
        ParameterType = parameters.Length == 1 ? parameters[0].ParameterType : null;
        ResultType = TaskResults.ResultType(method.ReturnType);
        resultGetter = TaskResults.ResultGetter(method.ReturnType);
    }

    public string Name { get; }

    public Type? ParameterType { get; }

    public Type? ResultType { get; }

    public static string NameOf(MethodInfo method)
    {
        if (method.GetCustomAttribute<ActivityAttribute>()?.Name is { } name)
        {
            return name;
        }

        return method.Name.EndsWith("Async", StringComparison.Ordinal) && method.Name.Length > 5 ? method.Name[..^5] : method.Name;
    }

    public static IEnumerable<ActivityDefinition> FromInstance(object instance)
    {
        var found = false;
        foreach (var method in instance.GetType().GetMethods(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public))
        {
            if (method.GetCustomAttribute<ActivityAttribute>() is not null)
            {
                found = true;
                yield return new ActivityDefinition(NameOf(method), method, method.IsStatic ? null : instance);
            }
        }

        if (!found)
        {
            throw new ArgumentException($"{instance.GetType().FullName} has no public [Activity] method.");
        }
    }

    public Task<object?> InvokeAsync(object? argument)
    {
        var returned = TaskResults.Invoke(method, target, argument, ParameterType is not null);
        return TaskResults.UnwrapAsync(returned, resultGetter);
    }
}
