using System.Text.Json;
using UdcBackup.Durable.Workflows;

namespace UdcBackup.Workflows.Flow;

/// <summary>
/// Input of the <c>flow</c> workflow: the flow id and version the run started with, the whole
/// definition (so a newer publish never changes a run in progress), the run's inputs
/// (<c>flow.input.*</c>), the applied site's systems (for-each items and endpoints, copied at start
/// so replay sees the same site), and the declared defaults of the activities the flow uses.
/// A schedule's input sets <see cref="PrepareAtStart"/> instead: the run then asks the controller
/// (activity <see cref="FlowWorkflow.PrepareActivity"/>) for the definition of <see cref="Version"/>
/// (0 = the newest published one) and the site as applied at that moment, so each fire uses the
/// current site; the answer is recorded in the history, so replay still sees the same input.
/// </summary>
public sealed record FlowRunInput(
    string FlowId,
    int Version,
    FlowDocument Definition,
    JsonElement? Inputs = null,
    FlowSite? Site = null,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, JsonElement>>? Defaults = null,
    bool PrepareAtStart = false) : IValidatedWorkflowInput
{
    /// <inheritdoc />
    /// <remarks>Whether the definition itself is sound is the flow validator's question, asked when it is saved and published.</remarks>
    public IReadOnlyList<string> Problems()
    {
        var problems = new WorkflowInputProblems()
            .Required("flowId", FlowId, "the flow this run belongs to")
            .AtLeast("version", Version, 0);
        if (!PrepareAtStart)
        {
            problems.Required("definition", Definition, "the flow's definition; or set prepareAtStart to read the published one at start");
        }

        return problems.ToList();
    }
}
