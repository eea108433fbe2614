using System.Reflection;
using UdcBackup.Durable.Workflows;

namespace UdcBackup.Durable.Runtime;

/// <summary>A registered workflow class, read once by reflection: its name, run method, signal and query handlers.</summary>
internal sealed class WorkflowDefinition
{
    private WorkflowDefinition(string name, Type type, Func<object> factory, MethodInfo run)
    {
        Name = name;
        Type = type;
        Factory = factory;
        RunMethod = run;
        var parameters = run.GetParameters();
        RunParameterType = parameters.Length == 1 ? parameters[0].ParameterType : null;
        ResultType = TaskResults.ResultType(run.ReturnType);
        ResultGetter = TaskResults.ResultGetter(run.ReturnType);
    }

    public string Name { get; }

    public Type Type { get; }

    public Func<object> Factory { get; }

    public MethodInfo RunMethod { get; }

    public Type? RunParameterType { get; }

    public Type? ResultType { get; }

    public PropertyInfo? ResultGetter { get; }

    public Dictionary<string, MethodInfo> Signals { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, MemberInfo> Queries { get; } = new(StringComparer.Ordinal);

    public static string NameOf(Type type) =>
        type.GetCustomAttribute<WorkflowAttribute>()?.Name ?? type.Name;

    public static WorkflowDefinition Create(Type type, Func<object>? factory)
    {
        if (type.GetCustomAttribute<WorkflowAttribute>() is null)
        {
            throw new ArgumentException($"{type.FullName} has no [Workflow] attribute.");
        }

        const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
        var runs = type.GetMethods(flags).Where(m => m.GetCustomAttribute<WorkflowRunAttribute>() is not null).ToList();
        if (runs.Count != 1)
        {
            throw new ArgumentException($"{type.FullName} must have exactly one [WorkflowRun] method, found {runs.Count}.");
        }

        var run = runs[0];
        if (!typeof(Task).IsAssignableFrom(run.ReturnType) || run.GetParameters().Length > 1)
        {
            throw new ArgumentException($"{type.FullName}.{run.Name}: a [WorkflowRun] method returns Task or Task<T> and takes at most one argument.");
        }

        if (factory is null)
        {
            if (type.GetConstructor(Type.EmptyTypes) is null)
            {
                throw new ArgumentException($"{type.FullName} needs a parameterless constructor or a factory.");
            }

            factory = () => Activator.CreateInstance(type)!;
        }

        var definition = new WorkflowDefinition(NameOf(type), type, factory, run);
        foreach (var method in type.GetMethods(flags))
        {
            if (method.GetCustomAttribute<WorkflowSignalAttribute>() is { } signal)
            {
                if (method.GetParameters().Length > 1)
                {
                    throw new ArgumentException($"{type.FullName}.{method.Name}: a signal handler takes at most one argument.");
                }

                definition.Signals[signal.Name ?? method.Name] = method;
            }

            if (method.GetCustomAttribute<WorkflowQueryAttribute>() is { } query)
            {
                definition.Queries[query.Name ?? method.Name] = method;
            }
        }

        foreach (var property in type.GetProperties(flags))
        {
            if (property.GetCustomAttribute<WorkflowQueryAttribute>() is { } query)
            {
                definition.Queries[query.Name ?? property.Name] = property;
            }
        }

        return definition;
    }
}
