using System.CommandLine;
using UdcBackup.Archive;
using UdcBackup.Archive.Retention;

namespace UdcBackup.Cli.Commands;

/// <summary><c>udc archive forget --keep-... [--prune]</c>: removes snapshots by retention policy, optionally their data.</summary>
internal static class ArchiveForgetCommand
{
    public static Command Create(ArchiveOptions options)
    {
        var ids = new Argument<string[]>("ID") { Description = "Snapshots to forget explicitly (instead of a policy).", Arity = ArgumentArity.ZeroOrMore };
        var last = Keep("--keep-last", "Keep the N newest snapshots.");
        var hourly = Keep("--keep-hourly", "Keep the newest snapshot of each of the last N hours that have one.");
        var daily = Keep("--keep-daily", "Keep the newest snapshot of each of the last N days that have one.");
        var weekly = Keep("--keep-weekly", "Keep the newest snapshot of each of the last N ISO weeks that have one.");
        var monthly = Keep("--keep-monthly", "Keep the newest snapshot of each of the last N months that have one.");
        var yearly = Keep("--keep-yearly", "Keep the newest snapshot of each of the last N years that have one.");
        var groupBy = new Option<string[]>("--group-by") { Description = "Apply the policy per value of these tags (default: per host and paths); repeatable.", HelpName = "TAG" };
        var prune = new Option<bool>("--prune") { Description = "Also delete the data no remaining snapshot uses." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only show what would be forgotten." };
        var command = new Command("forget", "Forget snapshots by retention policy and optionally prune unused data.")
        {
            ids, last, hourly, daily, weekly, monthly, yearly, groupBy, prune, dryRun,
        };
        command.SetAction(ArchiveAction.Create(options, async c =>
        {
            var policy = new RetentionPolicy
            {
                Last = c.Parse.GetValue(last),
                Hourly = c.Parse.GetValue(hourly),
                Daily = c.Parse.GetValue(daily),
                Weekly = c.Parse.GetValue(weekly),
                Monthly = c.Parse.GetValue(monthly),
                Yearly = c.Parse.GetValue(yearly),
                GroupByTags = c.Parse.GetValue(groupBy) ?? [],
            };
            using var repository = c.Open();
            var dry = c.Parse.GetValue(dryRun);
            if (c.Parse.GetValue(prune) && repository.Index.DamagedFiles is [var damaged, ..])
            {
                // Prune refuses a partial index; forgetting first would drop snapshots and then fail.
                throw new ArchiveException(ArchiveErrorCode.DamagedRepository, $"{damaged.Message}. Prune does not act on a partial index; run 'udc archive repair index' first. Nothing was forgotten.");
            }

            var (keep, remove) = new Forgetter(repository).Run(policy, c.Parse.GetValue(ids) ?? [], dry);
            PruneResult? pruned = null;
            if (c.Parse.GetValue(prune) && !dry)
            {
                try
                {
                    pruned = new Pruner(repository).Run(c.CancellationToken);
                }
                catch (ArchiveException e) when (e.Code == ArchiveErrorCode.NoSpace && remove.Count > 0)
                {
                    // The failure ends the command before its listing: say which snapshots are gone.
                    throw new ArchiveException(e.Code, $"Forgot {remove.Count} snapshot(s) ({string.Join(", ", remove.Select(r => r.ShortId))}), then the prune failed: {e.Message}", e);
                }
            }

            if (c.Json)
            {
                await c.WriteJsonAsync(new
                {
                    dryRun = dry,
                    keep = keep.Select(k => new { id = k.Snapshot.Id.ToString(), k.Snapshot.Time, reasons = k.Reasons }),
                    remove = remove.Select(r => new { id = r.Id.ToString(), r.Time }),
                    prune = pruned,
                });
                return CliApp.Success;
            }

            foreach (var (snapshot, reasons) in keep.OrderBy(k => k.Snapshot.Time))
            {
                await c.Output.WriteLineAsync($"keep   {snapshot.ShortId} {ArchiveFormat.Time(snapshot.Time)} ({string.Join(", ", reasons)})");
            }

            foreach (var snapshot in remove.OrderBy(r => r.Time))
            {
                await c.Output.WriteLineAsync($"{(dry ? "would remove" : "remove")} {snapshot.ShortId} {ArchiveFormat.Time(snapshot.Time)}");
            }

            if (pruned is not null)
            {
                await c.Output.WriteLineAsync($"pruned: {pruned.PacksDeleted} packs deleted, {pruned.PacksRepacked} repacked into {pruned.PacksWritten}, {pruned.BlobsRemoved} chunks and {ArchiveFormat.Bytes(pruned.BytesFreed)} freed");
                if (pruned.PacksNotRepackedForSpace > 0)
                {
                    await c.Error.WriteLineAsync($"warning: {pruned.PacksNotRepackedForSpace} partly unused packs were kept whole: the repository has no space to rewrite them; prune again once it has");
                }
            }

            return CliApp.Success;
        }));
        return command;
    }

    // A negative count keeps nothing while still counting as a rule, so it would forget every
    // snapshot (and --prune would delete their data): refuse it before the repository is opened.
    private static Option<int> Keep(string name, string description)
    {
        var option = new Option<int>(name) { Description = description, HelpName = "N" };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 0)
            {
                result.AddError($"{name} must be 0 or more (got {result.GetValueOrDefault<int>()}); nothing was forgotten.");
            }
        });
        return option;
    }
}
