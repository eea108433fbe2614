namespace UdcBackup.Durable.Workflows;

/// <summary>Marks a signal handler (void or Task, zero or one argument). The name defaults to the method name.</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class WorkflowSignalAttribute : Attribute
{
    public WorkflowSignalAttribute(string? name = null) => Name = name;

    public string? Name { get; }
}
