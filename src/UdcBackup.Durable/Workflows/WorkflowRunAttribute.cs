namespace UdcBackup.Durable.Workflows;

/// <summary>Marks the single entry method of a workflow: async (Task or Task&lt;T&gt;), zero or one JSON-serialisable argument.</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class WorkflowRunAttribute : Attribute
{
}
