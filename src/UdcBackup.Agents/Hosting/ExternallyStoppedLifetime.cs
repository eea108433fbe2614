using Microsoft.Extensions.Hosting;

namespace UdcBackup.Agents.Hosting;

/// <summary>
/// The agents' host lifetime: it does nothing, because the process that embeds an agent (the
/// <c>udc agent</c> command) stops the agent by disposing it. The default console lifetime took
/// SIGTERM for itself (the signal no longer ended the process) and only raised the host's
/// stopping event, which nothing in the embedding command waits on, so the agent process stayed
/// up until SIGKILL. Without it SIGTERM takes the runtime's path: process-exit handlers (the
/// command's cancellation) run, then the process ends.
/// </summary>
internal sealed class ExternallyStoppedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
