namespace UdcBackup.Durable.Runtime;

/// <summary>
/// The deterministic scheduler of one workflow instance: continuations are queued and run one
/// by one, in order, on the thread that steps the instance, never concurrently and never inline.
/// A continuation queued while the instance is not being stepped comes from a task the workflow
/// API did not create (Task.Run, Task.Delay, I/O); that is recorded and fails the execution,
/// because its timing would differ on replay.
/// </summary>
internal sealed class WorkflowTaskScheduler : TaskScheduler
{
    private readonly Queue<Task> queue = new();
    private readonly Lock gate = new();
    private readonly WorkflowInstance owner;

    public WorkflowTaskScheduler(WorkflowInstance owner) => this.owner = owner;

    public override int MaximumConcurrencyLevel => 1;

    /// <summary>Gets a value indicating whether a continuation arrived from outside the workflow's own operations.</summary>
    public bool ForeignContinuationSeen { get; private set; }

    public bool HasWork
    {
        get
        {
            lock (gate)
            {
                return queue.Count > 0;
            }
        }
    }

    /// <summary>
    /// Runs queued continuations until none is left, with no SynchronizationContext: an await
    /// captures the thread's context before the current scheduler, and the thread stepping the
    /// instance may have one (recovery replays on its caller's thread: a test framework's, a
    /// UI's). A captured context would post the continuation outside the step, where the
    /// commands it issues are refused or never recorded (a cancelled run's finally never ran).
    /// </summary>
    public void RunAll()
    {
        var context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            while (true)
            {
                Task? next;
                lock (gate)
                {
                    if (!queue.TryDequeue(out next))
                    {
                        return;
                    }
                }

                TryExecuteTask(next);
            }
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }
    }

    protected override void QueueTask(Task task)
    {
        var foreign = !ReferenceEquals(WorkflowInstance.Current, owner);
        if (foreign)
        {
            // Flagged before the task is queued: a step running on another thread may dequeue and run
            // it at once, and must then see the flag (the lock orders the two); flagged after, the
            // foreign continuation could complete the run unnoticed.
            ForeignContinuationSeen = true;
        }

        lock (gate)
        {
            queue.Enqueue(task);
        }

        if (foreign)
        {
            owner.OnForeignContinuation?.Invoke();
        }
    }

    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => false;

    protected override IEnumerable<Task> GetScheduledTasks()
    {
        lock (gate)
        {
            return [.. queue];
        }
    }
}
