using System.Diagnostics;
using System.Globalization;
using UdcBackup.Archive.Backup;
using UdcBackup.Archive.Repository;
using UdcBackup.Archive.Restore;

// Profiles one archive operation stage by stage (the same library code `udc archive` runs):
//   profile init REPO   profile backup REPO PATH...   profile restore REPO ID TARGET
// Password from UDC_ARCHIVE_PASSWORD. Prints wall time, CPU time and the summed time per stage.
//   profile hashes      blob-id hash speeds: SHA-256 and BLAKE3 at each lane width, per input size
var startup = DateTime.Now - Process.GetCurrentProcess().StartTime;
var password = Environment.GetEnvironmentVariable("UDC_ARCHIVE_PASSWORD") ?? "";
if (args is ["hashes"])
{
    HashSpeeds.Print();
    return 0;
}

if (args is ["init", var root])
{
    // The library's defaults for a new repository, without the CLI (which may not build meanwhile).
    ArchiveRepository.Init(root, password).Dispose();
    return 0;
}

if (args.Length < 3 || args[0] is not ("backup" or "restore"))
{
    await Console.Error.WriteLineAsync("usage: profile init REPO | profile backup REPO PATH... | profile restore REPO ID TARGET | profile hashes");
    return 2;
}

var clock = Stopwatch.StartNew();
using var repository = ArchiveRepository.Open(args[1], password);
repository.Timings.MeasureCpu = true;
if (args[0] == "backup")
{
    var backup = new FileSystemBackup(repository, new BackupOptions { Paths = args[2..] });
    var snapshot = await backup.RunAsync(CancellationToken.None);
    Console.WriteLine($"snapshot {snapshot.ShortId}: {snapshot.Summary.FilesRead} files read, {snapshot.Summary.NewBlobs} new blobs");
}
else
{
    var restorer = new Restorer(repository, new RestoreOptions { Target = args[3] });
    var result = await restorer.RunAsync(repository.FindSnapshot(args[2]), CancellationToken.None);
    Console.WriteLine($"restored {result.FilesRestored} files");
}

var process = Process.GetCurrentProcess();
Console.WriteLine($"{"process start to Main",-36} {startup.TotalSeconds,8:0.000} s");
Console.WriteLine($"{"wall (after start)",-36} {clock.Elapsed.TotalSeconds,8:0.000} s");
Console.WriteLine($"{"cpu (user + system)",-36} {process.TotalProcessorTime.TotalSeconds,8:0.000} s");
Console.WriteLine($"{"peak working set",-36} {process.PeakWorkingSet64 / 1048576,8} MiB");
var gc = GC.GetGCMemoryInfo();
Console.WriteLine($"{"managed: allocated, committed",-36} {GC.GetTotalAllocatedBytes() / 1048576,8} MiB {gc.TotalCommittedBytes / 1048576,6} MiB");
Console.WriteLine($"{"collections gen0 / gen1 / gen2",-36} {GC.CollectionCount(0),8} {GC.CollectionCount(1),6} {GC.CollectionCount(2),6}");
foreach (var stage in repository.Timings.Read())
{
    var cpu = stage.Cpu is { } measured ? measured.TotalSeconds.ToString("0.000 s", CultureInfo.InvariantCulture) : "-";
    Console.WriteLine($"  {stage.Stage,-34} {stage.Time.TotalSeconds,8:0.000} s wall {cpu,10} cpu  x{stage.Count}");
}

return 0;
