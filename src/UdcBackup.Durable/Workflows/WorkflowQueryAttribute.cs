namespace UdcBackup.Durable.Workflows;

/// <summary>Marks a query handler: a method (zero or one argument) or a property getter that reads state and never changes it.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Property, Inherited = false)]
public sealed class WorkflowQueryAttribute : Attribute
{
    public WorkflowQueryAttribute(string? name = null) => Name = name;

    public string? Name { get; }
}
