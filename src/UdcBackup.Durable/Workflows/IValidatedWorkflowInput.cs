namespace UdcBackup.Durable.Workflows;

/// <summary>
/// A workflow input that can say what is wrong with it before a run exists. The runtime asks it
/// at every start (a client's, a schedule's, a parent's for its child) and refuses the start
/// when it names a problem: a client gets an <see cref="ArgumentException"/> and nothing is
/// written, a schedule records the firing as failed, a parent's child start fails. So a bad
/// value is not found only by a run that fails half-way. Rules that need the site or a catalog
/// stay in the workflow: this is about the input on its own.
/// </summary>
public interface IValidatedWorkflowInput
{
    /// <summary>Each problem as a sentence naming the field as written in JSON and the values it takes; empty when the input is valid.</summary>
    IReadOnlyList<string> Problems();
}
