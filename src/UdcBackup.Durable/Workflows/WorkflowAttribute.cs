namespace UdcBackup.Durable.Workflows;

/// <summary>Marks a workflow class. The name defaults to the class name; it is what clients start and what history records.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class WorkflowAttribute : Attribute
{
    public WorkflowAttribute(string? name = null) => Name = name;

    public string? Name { get; }
}
