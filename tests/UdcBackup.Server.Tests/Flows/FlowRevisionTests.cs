using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using UdcBackup.Server.Tests.Infrastructure;
using static UdcBackup.Server.Tests.Flows.FlowDocuments;

namespace UdcBackup.Server.Tests.Flows;

/// <summary>
/// Two people editing one flow do not lose each other's work silently: a create or import whose
/// id exists replaces that flow's draft only when it names the draft's current revision, and every
/// stale save is a 409 naming the current revision, who saved it and when, with nothing changed.
/// Schedule ids follow the workflow id rule (one token).
/// </summary>
public sealed class FlowRevisionTests : IClassFixture<SharedServerFixture>
{
    private readonly SharedServerFixture _fixture;

    public FlowRevisionTests(SharedServerFixture fixture)
    {
        _fixture = fixture;
    }

    private HttpClient Http => _fixture.Server.Http;

    [Fact]
    public async Task Posting_a_document_whose_flow_exists_without_its_revision_is_a_409_and_keeps_the_draft()
    {
        await CreateAsync("taken");
        var before = await _fixture.Server.GetRawAsync("/api/flows/taken");
        var other = Valid("taken");
        other["name"] = "Someone else's flow";

        using var wrapped = await Http.PostAsJsonAsync(new Uri("/api/flows", UriKind.Relative), new JsonObject { ["definition"] = other.DeepClone() });
        using var imported = await Http.PostAsJsonAsync(new Uri("/api/flows", UriKind.Relative), other.DeepClone());

        foreach (var answer in new[] { wrapped, imported })
        {
            var problem = await ConflictAsync(answer);
            problem["detail"]!.GetValue<string>().Should().StartWith("flow taken exists already (draft revision 1, saved by ").And.Contain("send baseRevision 1 to replace its draft");
            problem["currentRevision"]!.GetValue<int>().Should().Be(1);
        }

        (await _fixture.Server.GetRawAsync("/api/flows/taken")).Should().Be(before, "a refused save changes nothing");
    }

    [Fact]
    public async Task A_stale_base_revision_is_a_409_naming_the_current_revision_who_saved_it_and_when()
    {
        await CreateAsync("edited-twice");
        var mine = Valid("edited-twice");
        mine["name"] = "Mine";
        (await Http.PutAsJsonAsync(new Uri("/api/flows/edited-twice/draft", UriKind.Relative), new JsonObject { ["definition"] = mine.DeepClone(), ["baseRevision"] = 1 })).StatusCode.Should().Be(HttpStatusCode.OK);
        var stored = await _fixture.Server.GetRawAsync("/api/flows/edited-twice");
        var caller = await CallerAsync();
        var theirs = Valid("edited-twice");
        theirs["name"] = "Theirs, edited from revision 1";

        using var put = await Http.PutAsJsonAsync(new Uri("/api/flows/edited-twice/draft", UriKind.Relative), new JsonObject { ["definition"] = theirs.DeepClone(), ["baseRevision"] = 1 });
        using var post = await Http.PostAsJsonAsync(new Uri("/api/flows", UriKind.Relative), new JsonObject { ["definition"] = theirs.DeepClone(), ["baseRevision"] = 1 });
        using var publish = await Http.PostAsJsonAsync(new Uri("/api/flows/edited-twice/publish", UriKind.Relative), new JsonObject { ["revision"] = 1 });

        var updatedAt = JsonNode.Parse(stored)!["updatedAt"]!.GetValue<DateTimeOffset>();
        foreach (var answer in new[] { put, post, publish })
        {
            var problem = await ConflictAsync(answer);
            problem["detail"]!.GetValue<string>().Should().Be(
                $"flow edited-twice: the draft is at revision 2, saved by {caller} at {updatedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC, not at revision 1; reload it and apply your change again");
            problem["currentRevision"]!.GetValue<int>().Should().Be(2);
            problem["updatedBy"]!.GetValue<string>().Should().Be(caller);
            problem["updatedAt"]!.GetValue<DateTimeOffset>().Should().Be(updatedAt);
        }

        (await _fixture.Server.GetRawAsync("/api/flows/edited-twice")).Should().Be(stored, "a refused save changes nothing");
    }

    [Fact]
    public async Task Posting_a_document_with_the_current_revision_replaces_the_draft_with_200()
    {
        await CreateAsync("replaced");
        var next = Valid("replaced");
        next["name"] = "Replaced by an import";

        using var answer = await Http.PostAsJsonAsync(new Uri("/api/flows", UriKind.Relative), new JsonObject { ["definition"] = next.DeepClone(), ["baseRevision"] = 1 });

        answer.StatusCode.Should().Be(HttpStatusCode.OK, await answer.Content.ReadAsStringAsync());
        var body = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!;
        body["created"]!.GetValue<bool>().Should().BeFalse();
        body["draftRevision"]!.GetValue<int>().Should().Be(2);
        var shown = JsonNode.Parse(await _fixture.Server.GetRawAsync("/api/flows/replaced"))!;
        shown["name"]!.GetValue<string>().Should().Be("Replaced by an import");
        shown["draftRevision"]!.GetValue<int>().Should().Be(2);
    }

    [Theory]
    [InlineData("\"one\"")]
    [InlineData("1.5")]
    public async Task A_base_revision_that_is_not_a_whole_number_is_a_400_and_nothing_is_stored(string revision)
    {
        using var content = new StringContent($"{{\"definition\": {Valid("odd-revision").ToJsonString()}, \"baseRevision\": {revision}}}", Encoding.UTF8, "application/json");

        using var answer = await Http.PostAsync(new Uri("/api/flows", UriKind.Relative), content);

        answer.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        JsonNode.Parse(await answer.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>().Should().Be("baseRevision takes the whole number of the draft revision the document replaces");
        (await Http.GetAsync(new Uri("/api/flows/odd-revision", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("bad id with spaces")]
    [InlineData("a/b")]
    public async Task A_schedule_id_that_is_not_a_token_is_a_400_and_nothing_is_stored(string id)
    {
        var before = await _fixture.Server.GetRawAsync("/api/schedules");

        using var answer = await Http.PostAsJsonAsync(new Uri("/api/schedules", UriKind.Relative), new { id, workflowType = "diag.steps", interval = "01:00:00" });

        answer.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        answer.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        JsonNode.Parse(await answer.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>().Should().Be(
            $"id '{id}' is not a valid schedule id: use letters, digits, '.', '-', '_' and ':' only (no spaces); the runs it starts are named after it.");
        (await _fixture.Server.GetRawAsync("/api/schedules")).Should().Be(before, "a refused schedule is not stored");
    }

    [Fact]
    public async Task Udc_schedule_create_with_a_spaced_id_exits_2_and_stores_nothing()
    {
        var before = await _fixture.Server.GetRawAsync("/api/schedules");

        var result = await CliRun.InProcessAsync(["schedule", "create", "nightly billing", "--type", "diag.steps", "--every", "1h", .. _fixture.ServerArgs]);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Stderr.Should().Contain("id 'nightly billing' is not a valid schedule id: use letters, digits, '.', '-', '_' and ':' only");
        result.Stdout.Should().BeEmpty();
        (await _fixture.Server.GetRawAsync("/api/schedules")).Should().Be(before, "a refused schedule is not stored");
    }

    private async Task CreateAsync(string id)
    {
        using var created = await Http.PostAsJsonAsync(new Uri("/api/flows", UriKind.Relative), new JsonObject { ["definition"] = Valid(id) });
        created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
    }

    private static async Task<JsonNode> ConflictAsync(HttpResponseMessage answer)
    {
        var text = await answer.Content.ReadAsStringAsync();
        answer.StatusCode.Should().Be(HttpStatusCode.Conflict, text);
        answer.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        return JsonNode.Parse(text)!;
    }

    // Whoever the controller signed the test's requests in as saved the draft.
    private async Task<string> CallerAsync()
    {
        using var me = await Http.GetAsync(new Uri("/api/auth/me", UriKind.Relative));
        return me.IsSuccessStatusCode ? JsonNode.Parse(await me.Content.ReadAsStringAsync())!["user"]!.GetValue<string>() : "anonymous";
    }
}
