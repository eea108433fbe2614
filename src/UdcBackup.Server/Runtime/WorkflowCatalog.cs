using UdcBackup.Activities.Diagnostics;
using UdcBackup.Durable;
using UdcBackup.Server.Catalog;
using UdcBackup.Server.Configuration;
using UdcBackup.Workflows.Diagnostics;

namespace UdcBackup.Server.Runtime;

/// <summary>
/// The workflows and activities this controller runs: the one place a new flow is registered.
/// Activities are shared instances, so they get their dependencies (directories, clients) here.
/// </summary>
public static class WorkflowCatalog
{
    public static DurableRuntimeOptions Register(DurableRuntimeOptions options, ServerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(settings);
        options.AddWorkflow<DiagnosticStepsWorkflow>();
        options.AddWorkflow<UdcBackup.Workflows.Flow.FlowWorkflow>();
        options.AddWorkflow<UdcBackup.Server.Site.RefusedJobWorkflow>();
        options.AddActivities(UdcBackup.Server.Flows.FlowRunActivities.Create(settings));
        options.AddActivities(new DiagnosticActivities(settings.DiagnosticsDirectory, options.TimeProvider));
        OrchestrationCatalog.Register(options, settings);
        return options;
    }
}
