using System.Collections.Immutable;
using System.Text.Json;

namespace UdcBackup.Workflows.Flow;

/// <summary>
/// Where a chain runs: the cancellation token its activities and timers use (none inside a
/// <c>finally</c>), the for-each variables in force, and the outputs of the nodes that ran in this
/// iteration (looked up through the enclosing scopes, so a body sees its own iteration's outputs
/// first and the flow's before that).
/// </summary>
public sealed class FlowScope
{
    private readonly Dictionary<string, JsonElement> _outputs = new(StringComparer.Ordinal);

    private FlowScope(FlowScope? parent, ImmutableDictionary<string, JsonElement> vars, string? iteration, CancellationToken token)
    {
        Parent = parent;
        Token = token;
        Vars = vars;
        Iteration = iteration;
    }

    public FlowScope? Parent { get; }

    public CancellationToken Token { get; }

    public ImmutableDictionary<string, JsonElement> Vars { get; }

    /// <summary>The for-each item key this scope runs for (null at top level).</summary>
    public string? Iteration { get; }

    public static FlowScope Root(CancellationToken token) => new(null, ImmutableDictionary<string, JsonElement>.Empty.WithComparers(StringComparer.Ordinal), null, token);

    /// <summary>Same outputs, another token (a finally chain, a parallel's branches).</summary>
    public FlowScope WithToken(CancellationToken token) => new(this, Vars, Iteration, token);

    /// <summary>A for-each iteration: its variable set, its own outputs.</summary>
    public FlowScope ForItem(string variable, JsonElement item, string key, CancellationToken token) => new(this, Vars.SetItem(variable, item), key, token);

    public void SetOutput(string nodeId, JsonElement output) => _outputs[nodeId] = output;

    public bool TryGetOutput(string nodeId, out JsonElement output)
    {
        for (var scope = this; scope is not null; scope = scope.Parent)
        {
            if (scope._outputs.TryGetValue(nodeId, out output))
            {
                return true;
            }
        }

        output = default;
        return false;
    }
}
