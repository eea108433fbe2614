namespace UdcBackup.Workflows;

/// <summary>
/// A workflow input that can say what is wrong with it before a run exists. The controller asks
/// it when a run is started or scheduled by hand and refuses the request (400, nothing written)
/// when it names a problem, so a bad value is not found only by a run that fails; the workflow
/// still asks it at run start for the starts that bypass those endpoints. Rules that need the
/// site or the catalog stay in the workflow: this is about the input on its own.
/// </summary>
public interface IValidatedWorkflowInput
{
    /// <summary>Each problem as a sentence naming the field as written in JSON and the values it takes; empty when the input is valid.</summary>
    IReadOnlyList<string> Problems();
}
