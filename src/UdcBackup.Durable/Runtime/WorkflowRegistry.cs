namespace UdcBackup.Durable.Runtime;

/// <summary>Workflow and activity definitions by name; duplicate names are refused at start-up.</summary>
internal sealed class WorkflowRegistry
{
    private readonly Dictionary<string, WorkflowDefinition> workflows = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ActivityDefinition> activities = new(StringComparer.Ordinal);

    public WorkflowRegistry(IEnumerable<WorkflowDefinition> workflowDefinitions, IEnumerable<ActivityDefinition> activityDefinitions)
    {
        foreach (var w in workflowDefinitions)
        {
            if (!workflows.TryAdd(w.Name, w))
            {
                throw new ArgumentException($"Workflow type '{w.Name}' is registered twice.");
            }
        }

        foreach (var a in activityDefinitions)
        {
            if (!activities.TryAdd(a.Name, a))
            {
                throw new ArgumentException($"Activity type '{a.Name}' is registered twice.");
            }
        }
    }

    public IEnumerable<string> WorkflowTypes => workflows.Keys;

    public WorkflowDefinition? FindWorkflow(string name) => workflows.GetValueOrDefault(name);

    public ActivityDefinition? FindActivity(string name) => activities.GetValueOrDefault(name);

    public WorkflowDefinition GetWorkflow(string name) =>
        workflows.GetValueOrDefault(name)
        ?? throw new ArgumentException($"Unknown workflow type '{name}'. Registered: {string.Join(", ", workflows.Keys.Order(StringComparer.Ordinal))}.");
}
