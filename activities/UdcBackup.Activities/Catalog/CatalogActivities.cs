using UdcBackup.Activities.Metadata;
using UdcBackup.Archive.Format;
using UdcBackup.Archive.Snapshots;
using UdcBackup.Durable.Activities;
using UdcBackup.Durable.Failures;
using UdcBackup.Site.Model;
using ArchiveRetention = UdcBackup.Archive.Retention.RetentionPolicy;

namespace UdcBackup.Activities.Catalog;

/// <summary>
/// The controller's snapshot catalog as activities. Recording is idempotent by snapshot id and
/// refuses (not retried) a snapshot whose system tag is not the job's system, so data is never
/// recorded against the wrong system. The level is chosen from the catalog with the job's
/// <see cref="LevelPattern"/>. Retention selects with the archive's own policy code, asks the
/// media agent to forget first and marks the catalog after, so a crash in between only repeats a
/// forget that is harmless to repeat.
/// </summary>
public sealed class CatalogActivities
{
    public const string SystemMismatchErrorType = "SnapshotSystemMismatch";
    public const string UnknownSnapshotErrorType = "UnknownSnapshot";

    private readonly ISnapshotCatalog _catalog;
    private readonly IMediaAgentGateway _media;
    private readonly TimeProvider _time;

    public CatalogActivities(ISnapshotCatalog catalog, IMediaAgentGateway media, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(media);
        _catalog = catalog;
        _media = media;
        _time = time ?? TimeProvider.System;
    }

    [Activity("catalog.record-snapshot")]
    [ActivityDescription("Catalog", "Record snapshot", "record snapshot {snapshotId} of {systemId}",
        Description = "Adds the snapshot to the controller's catalog; repeated calls are no-ops; a snapshot tagged with another system is refused.")]
    public async Task<RecordSnapshotResult> RecordSnapshotAsync(RecordSnapshotInput input)
    {
        ActivityInputGuard.EnsureValid("catalog.record-snapshot", input);
        if (input.SnapshotSystemId != input.SystemId)
        {
            throw new ApplicationFailureException(
                $"snapshot {input.SnapshotId} is tagged with system {input.SnapshotSystemId}, but job {input.JobId} backed up {input.SystemId}; not recorded",
                SystemMismatchErrorType,
                nonRetryable: true);
        }

        try
        {
            var added = await _catalog.AddAsync(
                new CatalogEntry(input.SnapshotId, input.SystemId, input.JobId, input.Level, input.MediaAgentId, input.Repository, _time.GetUtcNow(), input.Bytes, input.Files),
                Token());
            return new RecordSnapshotResult(input.SnapshotId, AlreadyRecorded: !added);
        }
        catch (SnapshotCatalogConflictException conflict)
        {
            throw new ApplicationFailureException(conflict.Message, SystemMismatchErrorType, nonRetryable: true, innerException: conflict);
        }
    }

    [Activity("catalog.find-snapshot")]
    [ActivityDescription("Catalog", "Find snapshot", "look up snapshot {snapshotId}",
        Description = "Reads the owner system and location of a snapshot from the catalog; an unknown id fails without retry.")]
    public async Task<FindSnapshotResult> FindSnapshotAsync(FindSnapshotInput input)
    {
        ActivityInputGuard.EnsureValid("catalog.find-snapshot", input);
        var entry = await _catalog.FindAsync(input.SnapshotId, Token())
            ?? throw new ApplicationFailureException($"snapshot {input.SnapshotId} is not in the catalog", UnknownSnapshotErrorType, nonRetryable: true);
        return new FindSnapshotResult(entry.SnapshotId, entry.SystemId, entry.MediaAgentId, entry.Repository, entry.Forgotten);
    }

    [Activity("catalog.choose-level")]
    [ActivityDescription("Catalog", "Choose backup level", "choose full or incremental for {systemId}",
        Description = "Full when the system has no snapshot yet or the job's pattern says so; otherwise incremental on top of the newest snapshot.")]
    public async Task<ChooseLevelResult> ChooseLevelAsync(ChooseLevelInput input)
    {
        ActivityInputGuard.EnsureValid("catalog.choose-level", input);
        var snapshots = await _catalog.ListAsync(input.SystemId, input.JobId, cancellationToken: Token());
        var lastFull = snapshots.FirstOrDefault(s => s.Level == "full");
        var incrementals = lastFull is null ? 0 : snapshots.TakeWhile(s => s.SnapshotId != lastFull.SnapshotId).Count();
        var zone = TimeZoneInfo.FindSystemTimeZoneById(input.TimeZone);
        var runTime = DateTimeOffset.Parse(input.RunTime, System.Globalization.CultureInfo.InvariantCulture);
        var level = new LevelPattern(input.FullOn, input.FullEvery).ChooseLevel(runTime, zone, lastFull?.TakenAt, incrementals);
        return level == BackupLevel.Full
            ? new ChooseLevelResult("full", null)
            : new ChooseLevelResult("incremental", snapshots[0].SnapshotId);
    }

    [Activity("catalog.apply-retention")]
    [ActivityDescription("Catalog", "Apply retention", "thin the snapshots of {systemId} by job {jobId}'s retention",
        Description = "Keeps the snapshots any rule keeps, asks the media agent to forget the rest, then marks them forgotten in the catalog.")]
    public async Task<ApplyRetentionResult> ApplyRetentionAsync(ApplyRetentionInput input)
    {
        ActivityInputGuard.EnsureValid("catalog.apply-retention", input);
        var policy = new ArchiveRetention
        {
            Last = input.KeepLast,
            Daily = input.KeepDaily,
            Weekly = input.KeepWeekly,
            Monthly = input.KeepMonthly,
            Yearly = input.KeepYearly,
            GroupByTags = ["system"],
        };
        if (policy.KeepsNothing)
        {
            // A policy that keeps nothing would delete every backup; the site validator refuses
            // it, and so does this activity rather than trusting its input.
            throw new ApplicationFailureException("retention keeps nothing; refusing to forget every snapshot", ActivityInputGuard.InvalidInputErrorType, nonRetryable: true);
        }

        var entries = await _catalog.ListAsync(input.SystemId, input.JobId, cancellationToken: Token());
        var byId = new Dictionary<BlobId, CatalogEntry>();
        foreach (var entry in entries.Where(e => BlobId.TryParse(e.SnapshotId, out _)))
        {
            byId[BlobId.Parse(entry.SnapshotId)] = entry;
        }

        var (keep, remove) = policy.Apply(byId.Select(pair => new Snapshot
        {
            Id = pair.Key,
            Time = pair.Value.TakenAt,
            Tags = new Dictionary<string, string> { ["system"] = pair.Value.SystemId },
        }));
        var forget = remove.Select(s => byId[s.Id].SnapshotId).ToList();
        if (forget.Count > 0)
        {
            await _media.ForgetSnapshotsAsync(input.MediaEndpoint, input.Repository, forget, Token());
            await _catalog.MarkForgottenAsync(forget, Token());
        }

        return new ApplyRetentionResult(keep.Count, forget);
    }

    private static CancellationToken Token() => ActivityExecutionContext.HasCurrent ? ActivityExecutionContext.Current.CancellationToken : CancellationToken.None;
}
