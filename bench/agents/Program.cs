// Backup of the shared dataset through a disk agent -> media agent (both real `udc agent` processes
// on loopback, mutual TLS; control requests over HTTP/2, the entry stream over HTTP/1.1 when both
// agents support it; the controller's order with NDJSON progress) against
// `udc archive backup` of the same folder into a fresh repository, in one run, alternating the order.
// Prints wall and CPU seconds (CPU stays comparable when other work shares the machine) and ratios.
//
//   dotnet run -c Release --project bench/agents -- [--work DIR] [--dataset DIR] [--runs N] [--scale S] [--cold] [--udc PATH | --jit]
//
// udc runs as it is deployed: published ReadyToRun without tiered PGO into WORK/udc (as
// bench/archive/run.sh does; the README's deployment command), removed at the end. --udc PATH
// times an already published udc; --jit the plain build beside the bench (every method JIT-compiled
// in each process: the agents' tier-1 recompilations were a fifth to a third of their CPU).
//
// --no-floor leaves the transport floor out (comparisons of the agents alone).
// --drop-caches empties the page cache (sync; echo 3 > /proc/sys/vm/drop_caches; needs root) right
// before each timed backup, after the agents' warm-up: both contenders then read the dataset from disk.
// --perf DIR samples each agent during the timed backup only (perf record -F 199 -g into
// DIR/disk-N.data and DIR/media-N.data; run with DOTNET_PerfMapEnabled=1 to name managed frames).
// --warm-up random warms with the earlier 32 MiB of random data instead of the tree, for comparisons.
// The agents are services: before the timed backup they back up a small file tree with the
// dataset's mix in a session of its own (WarmUpTree: about 2,500 files and 120 MiB; nothing of it
// deduplicates against the dataset) and the bench waits until both are idle, so JIT and tiering
// of the fresh processes are not timed; --cold times the first backup of freshly started agents instead. --floor-only prints only the
// transport floor (see TransportFloor). --split-only prints only what chunking and compressing
// on the disk agent would move between the agents (see ChunkCompressSplit) with the upgraded
// transport's floor for the bytes sent today and the bytes that would be sent.
// --dataset: an existing dataset folder (left as it is); otherwise WORK/dataset is generated with
// make-dataset.py (../shared/bench beside the repository, or UDC_DATASET_SCRIPT) at --scale (1.0)
// and removed at the end unless --keep-dataset. Repositories, credentials and agent configs under
// WORK are always removed at the end, also when a run fails; agent processes are stopped.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using UdcBackup.Agents.Bench;
using UdcBackup.Agents.Disk;
using UdcBackup.Agents.Identity;
using UdcBackup.Agents.Media;
using UdcBackup.Agents.Tls;
using UdcBackup.Agents.Tokens;
using UdcBackup.Archive.Repository;

var work = Path.GetFullPath(Option("--work") ?? "/tmp/udc-agents-bench");
var runs = int.Parse(Option("--runs") ?? "2", CultureInfo.InvariantCulture);
var scale = Option("--scale") ?? "1.0";
var dataset = Option("--dataset") ?? Path.Combine(work, "dataset");
var generated = Option("--dataset") is null && !Directory.Exists(dataset);
var cold = args.Contains("--cold");
var dropCaches = args.Contains("--drop-caches");
var warmUp = Option("--warm-up") ?? "tree";
var perfFolder = Option("--perf") is { } perfGiven ? Directory.CreateDirectory(perfGiven).FullName : null;
if (warmUp is not ("tree" or "random"))
{
    throw new ArgumentException($"--warm-up {warmUp}: tree (default) or random");
}

const string Password = "bench-password";
Directory.CreateDirectory(work);
if (generated)
{
    Console.Error.WriteLine($"generating the dataset (scale {scale}) into {dataset} ...");
    if (Directory.Exists(dataset + ".tmp"))
    {
        Directory.Delete(dataset + ".tmp", recursive: true); // an interrupted earlier generation
    }

    await Run(["python3", DatasetScript(), dataset + ".tmp", "--scale", scale]);
    Directory.Move(dataset + ".tmp", dataset);
}

var published = Option("--udc") is null && !args.Contains("--jit") && !args.Contains("--floor-only") && !args.Contains("--split-only");
string[] udc = Option("--udc") is { } given ? [Path.GetFullPath(given)]
    : published ? [await PublishAsync(Path.Combine(work, "udc"))]
    : ["dotnet", Path.Combine(AppContext.BaseDirectory, "udc.dll")];
var files = Directory.EnumerateFiles(dataset, "*", SearchOption.AllDirectories).ToList();
var bytes = files.Sum(f => new FileInfo(f).Length);
foreach (var file in files)
{
    await using var warm = File.OpenRead(file); // same warm page cache for both contenders
    await warm.CopyToAsync(Stream.Null);
}

// Credentials: a CA, a media agent, a disk agent for system bench-sys, the controller's client.
var caFolder = Path.Combine(work, "ca");
if (Directory.Exists(caFolder))
{
    Directory.Delete(caFolder, recursive: true);
}

using var ca = CertificateAuthority.CreateOrOpen(caFolder);
using var controllerCert = ca.IssueWithNewKey(new SystemIdentity("cm-bench", AgentRole.Controller));
try
{
    Enroll("media-1", AgentRole.Media, "media-credentials");
    Enroll("bench-sys", AgentRole.Disk, "disk-credentials");
    File.WriteAllText(Path.Combine(work, "password"), Password + "\n");

    var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
    if (args.Contains("--floor-only"))
    {
        await PrintFloorAsync();
        return 0;
    }

    if (args.Contains("--split-only"))
    {
        await PrintSplitAsync(load);
        return 0;
    }

    var rows = new List<(int Run, double ArchiveWall, double ArchiveCpu, double AgentsWall, double AgentsCpu, double DiskCpu)>();
    for (var run = 1; run <= runs; run++)
    {
        double archiveWall = 0, archiveCpu = 0, agentsWall = 0, agentsCpu = 0, diskCpu = 0;
        foreach (var contender in run % 2 == 1 ? new[] { "archive", "agents" } : ["agents", "archive"])
        {
            var repo = Path.Combine(work, $"repo-{contender}");
            if (Directory.Exists(repo))
            {
                Directory.Delete(repo, recursive: true);
            }

            ArchiveRepository.Init(repo, Password).Dispose();
            if (contender == "archive")
            {
                (archiveWall, archiveCpu) = await TimeArchiveBackupAsync(repo);
            }
            else
            {
                (agentsWall, agentsCpu, diskCpu) = await TimeAgentBackupAsync(repo, run);
            }
        }

        rows.Add((run, archiveWall, archiveCpu, agentsWall, agentsCpu, diskCpu));
    }

    Console.WriteLine($"dataset: {files.Count} files, {bytes / 1048576.0:F0} MiB; load average at start {load}, at end {File.ReadAllText("/proc/loadavg").Split(' ')[0]}; {Environment.ProcessorCount} cores; agents {(cold ? "cold (first backup after start)" : warmUp == "tree" ? "warmed by a backup of a small tree with the dataset's mix first" : "warmed by a backup of 32 MiB of random data first")}; {(dropCaches ? "page cache dropped before each timed backup" : "dataset in the page cache")}; udc {(published ? "published ReadyToRun, tiered PGO off" : string.Join(' ', udc))}");
    Console.WriteLine();
    Console.WriteLine("| run | udc archive backup wall s | CPU s | disk agent -> media agent wall s | CPU s (disk + media) | wall ratio | CPU ratio |");
    Console.WriteLine("|---|---|---|---|---|---|---|");
    foreach (var r in rows)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {r.Run} | {r.ArchiveWall:F1} | {r.ArchiveCpu:F1} | {r.AgentsWall:F1} | {r.AgentsCpu:F1} ({r.DiskCpu:F1} + {r.AgentsCpu - r.DiskCpu:F1}) | {r.AgentsWall / r.ArchiveWall:F2} | {r.AgentsCpu / r.ArchiveCpu:F2} |"));
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| best | {rows.Min(r => r.ArchiveWall):F1} | {rows.Min(r => r.ArchiveCpu):F1} | {rows.Min(r => r.AgentsWall):F1} | {rows.Min(r => r.AgentsCpu):F1} | {rows.Min(r => r.AgentsWall) / rows.Min(r => r.ArchiveWall):F2} | {rows.Min(r => r.AgentsCpu) / rows.Min(r => r.ArchiveCpu):F2} |"));
    if (!args.Contains("--no-floor"))
    {
        await PrintFloorAsync();
    }
}
finally
{
    if (published && Directory.Exists(Path.Combine(work, "udc")))
    {
        Directory.Delete(Path.Combine(work, "udc"), recursive: true);
    }

    foreach (var leftover in new[] { "ca", "media-credentials", "disk-credentials", "repo-archive", "repo-agents", "scripts", "sessions", "warm-up", "warm-up.tmp", "warm-up-random", "warm-up-random.tmp" })
    {
        var folder = Path.Combine(work, leftover);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    foreach (var leftover in new[] { "password", "media.json", "disk.json", "media-audit.jsonl", "disk-audit.jsonl", "time.txt" })
    {
        File.Delete(Path.Combine(work, leftover));
    }

    if (generated && !args.Contains("--keep-dataset"))
    {
        Directory.Delete(dataset, recursive: true);
    }
}

return 0;

// The floor under the agents' extra CPU: the transport alone (HTTP/2, HTTP/1.1 chunked and upgraded as the agents
// use them, the same mutual TLS without HTTP, plain TCP) and a SHA-256 pass, for the dataset's bytes.
async Task PrintFloorAsync()
{
    var (h2Cpu, h2Wall) = await TransportFloor.TransportAsync(ca, bytes);
    var (h1Cpu, h1Wall) = await TransportFloor.TransportAsync(ca, bytes, FloorProtocol.Http11Chunked);
    var (upCpu, upWall) = await TransportFloor.TransportAsync(ca, bytes, FloorProtocol.Http11Upgrade);
    var (tlsCpu, tlsWall) = await RawTransportFloor.SendAsync(ca, bytes);
    var (tcpCpu, tcpWall) = await RawTransportFloor.SendAsync(null, bytes);
    var (sealedCpu, sealedWall) = await RawTransportFloor.SendAsync(null, bytes, sealedFrames: true);
    var sha = TransportFloor.Sha256(bytes);
    var loadNow = (await File.ReadAllTextAsync("/proc/loadavg")).Split(' ')[0];
    Console.WriteLine();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"transport floor for {bytes / 1048576.0:F0} MiB on loopback, mutual TLS 1.3, one process holding both ends: HTTP/2 {h2Cpu:F1} CPU s ({h2Wall:F1} s wall), HTTP/1.1 chunked {h1Cpu:F1} CPU s ({h1Wall:F1} s wall), HTTP/1.1 upgraded to the bare connection {upCpu:F1} CPU s ({upWall:F1} s wall), TLS alone without HTTP (SslStream) {tlsCpu:F1} CPU s ({tlsWall:F1} s wall); plain TCP {tcpCpu:F1} CPU s ({tcpWall:F1} s wall), AES-256-GCM frames of 1 MiB on plain TCP (no such transport in the agents) {sealedCpu:F1} CPU s ({sealedWall:F1} s wall); one SHA-256 pass {sha:F1} CPU s; load average {loadNow}"));
}

// Chunking and compressing on the disk agent: the CPU that would move from the media agent to the disk agent,
// what the media agent would still do, and the upgraded transport's floor for today's bytes against the compressed
// ones; the last line is the net change of the two agents' CPU seconds these parts predict.
async Task PrintSplitAsync(string load)
{
    var split = ChunkCompressSplit.Measure(files);
    var (rawCpu, _) = await TransportFloor.TransportAsync(ca, split.RawBytes, FloorProtocol.Http11Upgrade);
    var (payloadCpu, _) = await TransportFloor.TransportAsync(ca, split.PayloadBytes, FloorProtocol.Http11Upgrade);
    var loadNow = (await File.ReadAllTextAsync("/proc/loadavg")).Split(' ')[0];
    var c = CultureInfo.InvariantCulture;
    Console.WriteLine(string.Create(c, $"chunks {split.Chunks}: {split.RawBytes / 1048576.0:F0} MiB raw sent as {split.PayloadBytes / 1048576.0:F0} MiB compressed by the archive's rule; new (deduplicated) {split.NewRawBytes / 1048576.0:F0} MiB raw, {split.NewPayloadBytes / 1048576.0:F0} MiB stored; load average at start {load}, at end {loadNow}"));
    Console.WriteLine(string.Create(c, $"one-thread CPU s: read {split.ReadCpu:F2}, cut {split.CutCpu:F2}, compress every chunk {split.CompressCpu:F2} (new chunks only {split.CompressNewCpu:F2}), decompress {split.DecompressCpu:F2}, SHA-256 {split.HashCpu:F2}, seal new {split.SealNewCpu:F2}"));
    Console.WriteLine(string.Create(c, $"disk agent adds {split.DiskAddsCpu:F2} (cut + compress); media agent keeps {split.MediaKeepsCpu:F2} (decompress + SHA-256 + seal) of today's {split.MediaTodayCpu:F2} (cut + SHA-256 + compress new + seal)"));
    Console.WriteLine(string.Create(c, $"upgraded HTTP/1.1 + mutual TLS floor: {rawCpu:F1} CPU s for the raw bytes, {payloadCpu:F1} for the compressed ones"));
    Console.WriteLine(string.Create(c, $"predicted change of the agents' CPU s: {split.DiskAddsCpu + split.MediaKeepsCpu - split.MediaTodayCpu + payloadCpu - rawCpu:+0.0;-0.0} (disk agent {split.DiskAddsCpu + ((payloadCpu - rawCpu) / 2):+0.0;-0.0}, media agent {split.MediaKeepsCpu - split.MediaTodayCpu + ((payloadCpu - rawCpu) / 2):+0.0;-0.0})"));
}

async Task<(double Wall, double Cpu)> TimeArchiveBackupAsync(string repo)
{
    var times = Path.Combine(work, "time.txt");
    await DropCachesIfAskedAsync();
    var clock = Stopwatch.StartNew();
    await Run(["/usr/bin/time", "-f", "%U %S", "-o", times, .. udc, "archive", "backup", "--repo", repo, dataset], ("UDC_ARCHIVE_PASSWORD", Password));
    var wall = clock.Elapsed.TotalSeconds;
    var cpu = (await File.ReadAllTextAsync(times)).Trim().Split('\n')[^1].Split(' ').Sum(v => double.Parse(v, CultureInfo.InvariantCulture));
    return (wall, cpu);
}

async Task<(double Wall, double Cpu, double DiskCpu)> TimeAgentBackupAsync(string repo, int run)
{
    var mediaConfig = Write("media.json", new MediaAgentOptions
    {
        ListenAddress = "127.0.0.1", Port = 0, CredentialsFolder = Path.Combine(work, "media-credentials"), RepositoryPath = repo,
        RepositoryPasswordFile = Path.Combine(work, "password"), AuditLogPath = Path.Combine(work, "media-audit.jsonl"),
        SessionFolder = Path.Combine(work, "sessions"), // removed at the end: an earlier bench's session names a snapshot that is gone
    });
    var tree = cold ? null : warmUp == "tree" ? WarmUpTree.Ensure(WarmUpFolder()) : WarmUpTree.EnsureRandom(WarmUpFolder()); // before the disk agent starts: its data paths must exist
    var scripts = Directory.CreateDirectory(Path.Combine(work, "scripts")).FullName;
    var diskConfig = Write("disk.json", new DiskAgentOptions
    {
        ListenAddress = "127.0.0.1", Port = 0, CredentialsFolder = Path.Combine(work, "disk-credentials"), ScriptFolder = scripts,
        DataPaths = cold ? [dataset] : [dataset, WarmUpFolder()], AuditLogPath = Path.Combine(work, "disk-audit.jsonl"),
    });
    await using var media = await AgentProcess.StartAsync([.. udc, "agent", "media", "--config", mediaConfig]);
    await using var disk = await AgentProcess.StartAsync([.. udc, "agent", "disk", "--config", diskConfig]);
    using var http = new HttpClient(MutualTls.CreateClientHandler(controllerCert, ca.Certificate, "bench-sys", AgentRole.Disk))
    {
        DefaultRequestVersion = HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        Timeout = Timeout.InfiniteTimeSpan,
    };
    if (tree is not null)
    {
        // The agents are long-running services: warm them (JIT, tiering, TLS) with a backup of a
        // small tree that runs the same per-file and bulk paths as the dataset and shares no chunk
        // with it, so the timed run measures a running service rather than the start-up of two
        // fresh processes. Then wait until both are idle: tier-1 compilation of what the warm-up
        // made hot runs on a background thread after the calls that triggered it.
        var (mediaStart, diskStart) = (media.CpuSeconds(), disk.CpuSeconds());
        var warmClock = Stopwatch.StartNew();
        await RunJobAsync(http, media, disk, $"warm-{run}-{Guid.NewGuid():N}", WarmUpFolder());
        var warmWall = warmClock.Elapsed.TotalSeconds;
        var (warmDisk, warmMedia) = (disk.CpuSeconds() - diskStart, media.CpuSeconds() - mediaStart);
        var settled = await AgentProcess.WaitIdleAsync([disk, media], TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(20));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {run} warm-up: backed up {tree.Files:N0} files, {tree.Folders} folders, {tree.Symlinks} symlink, {tree.Bytes / 1048576.0:F0} MiB in {warmWall:F1} s wall, {warmDisk + warmMedia:F1} CPU s ({warmDisk:F1} + {warmMedia:F1}); agents idle after {settled.TotalSeconds:F1} s more ({disk.CpuSeconds() - diskStart - warmDisk + media.CpuSeconds() - mediaStart - warmMedia:F2} CPU s)"));
    }

    await using var diskPerf = perfFolder is null ? null : await PerfRecord.StartAsync(disk.Id, Path.Combine(perfFolder, $"disk-{run}.data"));
    await using var mediaPerf = perfFolder is null ? null : await PerfRecord.StartAsync(media.Id, Path.Combine(perfFolder, $"media-{run}.data"));
    await DropCachesIfAskedAsync();
    var (mediaBefore, diskBefore) = (media.CpuSeconds(), disk.CpuSeconds());
    var clock = Stopwatch.StartNew();
    await RunJobAsync(http, media, disk, $"bench-{run}-{Guid.NewGuid():N}", dataset); // a job id of its own: sessions are keyed by it
    var wall = clock.Elapsed.TotalSeconds;
    if (diskPerf is not null && mediaPerf is not null)
    {
        await diskPerf.StopAsync(); // before the agents stop: only the timed backup is sampled
        await mediaPerf.StopAsync();
    }

    var diskCpu = disk.CpuSeconds() - diskBefore;
    var cpu = media.CpuSeconds() - mediaBefore + diskCpu;
    return (wall, cpu, diskCpu);
}

async Task DropCachesIfAskedAsync()
{
    if (dropCaches)
    {
        await Run(["sync"]);
        await File.WriteAllTextAsync("/proc/sys/vm/drop_caches", "3\n");
    }
}

async Task RunJobAsync(HttpClient http, AgentProcess media, AgentProcess disk, string job, string path)
{
    var order = new TransferJobRequest
    {
        JobId = job,
        MediaAgentUrl = media.Address.ToString(),
        MediaAgentId = "media-1",
        Token = ca.TokenSigner.Issue(job, "bench-sys", "media-1", JobDirection.Backup, TimeSpan.FromHours(2)),
        Paths = [path],
    };
    using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(disk.Address, "/v1/jobs/backup"))
    {
        // The client's default version does not apply to a message built here; the agents speak HTTP/2 only.
        Content = JsonContent.Create(order, options: JsonSerializerOptions.Web),
        Version = HttpVersion.Version20,
        VersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };
    request.Headers.Accept.ParseAdd("application/x-ndjson");
    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    var body = await response.Content.ReadAsStringAsync();
    var last = body.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? string.Empty;
    if (!response.IsSuccessStatusCode || !last.Contains("\"result\"", StringComparison.Ordinal))
    {
        throw new InvalidOperationException($"agent backup of {path} failed ({(int)response.StatusCode}): {last}");
    }
}

string WarmUpFolder() => Path.Combine(work, warmUp == "tree" ? "warm-up" : "warm-up-random");

string Write(string name, object options)
{
    var path = Path.Combine(work, name);
    File.WriteAllText(path, JsonSerializer.Serialize(options, options.GetType(), JsonSerializerOptions.Web));
    return path;
}

void Enroll(string system, AgentRole role, string folder)
{
    var target = Path.Combine(work, folder);
    if (Directory.Exists(target))
    {
        Directory.Delete(target, recursive: true);
    }

    var token = ca.EnrollmentTokens.Issue(new SystemIdentity(system, role), TimeSpan.FromMinutes(5));
    var (key, csr) = AgentCredentials.CreateSigningRequest();
    using (key)
    {
        AgentCredentials.Save(target, key, ca.Enroll(new EnrollmentRequest(token, csr))).Dispose();
    }
}

string? Option(string name)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}

// The deployment build of udc (README): ReadyToRun, no tiered PGO, framework-dependent.
static async Task<string> PublishAsync(string output)
{
    await Console.Error.WriteLineAsync($"publishing udc (Release, ReadyToRun, tiered PGO off) into {output} ...");
    await Run(["dotnet", "publish", Path.Combine(RepositoryRoot(), "src", "UdcBackup.Cli"), "-c", "Release", "-r", "linux-x64", "--self-contained", "false",
        "-p:PublishReadyToRun=true", "-p:TieredPGO=false", "-o", output, "-nologo", "-clp:ErrorsOnly"]);
    return Path.Combine(output, "udc");
}

static string RepositoryRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "UdcBackup.sln")))
        {
            return dir.FullName;
        }
    }

    throw new InvalidOperationException($"no UdcBackup.sln above {AppContext.BaseDirectory}: run the bench from the repository");
}

static string DatasetScript()
{
    var configured = Environment.GetEnvironmentVariable("UDC_DATASET_SCRIPT");
    if (!string.IsNullOrEmpty(configured))
    {
        return configured;
    }

    var script = Path.GetFullPath(Path.Combine(RepositoryRoot(), "..", "shared", "bench", "make-dataset.py"));
    return File.Exists(script) ? script : throw new InvalidOperationException($"no {script}: set UDC_DATASET_SCRIPT to make-dataset.py");
}

static async Task Run(IReadOnlyList<string> command, params (string Name, string Value)[] environment)
{
    var info = new ProcessStartInfo(command[0]) { UseShellExecute = false, RedirectStandardOutput = true };
    foreach (var argument in command.Skip(1))
    {
        info.ArgumentList.Add(argument);
    }

    foreach (var (name, value) in environment)
    {
        info.Environment[name] = value;
    }

    using var process = Process.Start(info)!;
    await process.StandardOutput.ReadToEndAsync();
    await process.WaitForExitAsync();
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"{string.Join(' ', command)} exited with {process.ExitCode}");
    }
}
