using UdcBackup.Durable.Storage;

namespace UdcBackup.Server.Runtime;

/// <summary>
/// Work that must be done before the durable runtime starts: <see cref="DurableRuntimeService"/>
/// runs every registered step, in registration order, on the initialised store before the runtime
/// recovers any execution or handles any schedule's fire times (a fire missed while the controller
/// was down is caught up during that start). A step that throws stops the controller's start; a
/// step whose failure should not, catches and logs it itself.
/// </summary>
public interface IRuntimeStartupStep
{
    /// <summary>Runs with nothing of the runtime running yet; <paramref name="store"/> is initialised and not shared with a running writer.</summary>
    Task RunBeforeRuntimeStartAsync(IWorkflowStore store, CancellationToken cancellationToken);
}
