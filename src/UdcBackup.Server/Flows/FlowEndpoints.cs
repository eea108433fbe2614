using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using UdcBackup.ScriptContract;
using UdcBackup.Server.Configuration;
using UdcBackup.Server.Web;
using UdcBackup.Workflows.Flow;

namespace UdcBackup.Server.Flows;

/// <summary>
/// <c>/api/flows</c>: drafts with revisions (a stale base revision is 409 naming the current revision,
/// who saved it and when, and changes nothing; so is a create or import whose id exists unless it
/// names that flow's current revision as the one it replaces),
/// validation (nothing stored), publish of a draft revision as an immutable numbered version
/// (an invalid flow is 422 with every problem and nothing stored), versions, rollback (publishes
/// an old version's definition as a new version), export, import (= create with a document).
/// Run, plan and schedule are in <see cref="FlowRunEndpoints"/>. Roles come from the access table.
/// </summary>
public static class FlowEndpoints
{
    /// <summary>Maps every flow route (and the run nodes route) with the store in <c>DATA/flows.db</c>.</summary>
    public static IEndpointRouteBuilder MapFlowEndpoints(this IEndpointRouteBuilder routes, ServerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var store = new FlowStore(Path.Combine(settings.DataDirectory, FlowStore.FileName));
        var environment = settings.ScriptEnvironmentRule();
        var group = routes.MapGroup("/api/flows").WithTags("Flows");
        group.MapGet("/", async (CancellationToken ct) => TypedResults.Ok((await store.ListAsync(ct)).Select(f => new
        {
            id = f.Id,
            name = f.Name,
            draftRevision = f.DraftRevision,
            publishedVersion = f.PublishedVersion == 0 ? (int?)null : f.PublishedVersion,
            updatedAt = f.UpdatedAt,
            updatedBy = f.UpdatedBy,
        }).ToList())).WithName("ListFlows");
        group.MapPost("/", (JsonElement body, HttpContext http, CancellationToken ct) => CreateAsync(store, environment, body, User(http), ct)).WithName("CreateFlow");
        group.MapPost("/validate", (JsonElement body) => Validate(body, environment)).WithName("ValidateFlow");
        group.MapGet("/{id}", (string id, CancellationToken ct) => ShowAsync(store, environment, id, ct)).WithName("ShowFlow");
        group.MapPut("/{id}/draft", (string id, SaveDraftRequest request, HttpContext http, CancellationToken ct) => SaveDraftAsync(store, environment, id, request, User(http), ct)).WithName("SaveFlowDraft");
        group.MapPost("/{id}/publish", (string id, PublishRequest? request, HttpContext http, CancellationToken ct) => PublishAsync(store, environment, id, request, User(http), ct)).WithName("PublishFlow");
        group.MapPost("/{id}/rollback", (string id, PublishRequest request, HttpContext http, CancellationToken ct) => RollbackAsync(store, environment, id, request, User(http), ct)).WithName("RollbackFlow");
        group.MapGet("/{id}/versions", async Task<Results<Ok<List<object>>, ProblemHttpResult>> (string id, CancellationToken ct) =>
            await store.GetAsync(id, ct) is null ? Problem(404, $"flow {id} does not exist")
            : TypedResults.Ok((await store.VersionsAsync(id, ct)).Select(v => (object)new { version = v.Version, publishedAt = v.PublishedAt, publishedBy = v.PublishedBy, note = v.Note }).ToList())).WithName("ListFlowVersions");
        group.MapGet("/{id}/versions/{version:int}", async Task<Results<Ok<object>, ProblemHttpResult>> (string id, int version, CancellationToken ct) =>
            await store.VersionAsync(id, version, ct) is { } v
                ? TypedResults.Ok<object>(new { version = v.Version, publishedAt = v.PublishedAt, publishedBy = v.PublishedBy, note = v.Note, definition = Json(v.Definition) })
                : Problem(404, $"flow {id} has no version {version}")).WithName("ShowFlowVersion");
        group.MapGet("/{id}/export", async Task<Results<Ok<JsonElement>, ProblemHttpResult>> (string id, string? source, CancellationToken ct) =>
        {
            var flow = await store.GetAsync(id, ct);
            if (flow is null)
            {
                return Problem(404, $"flow {id} does not exist");
            }

            var published = flow.PublishedVersion > 0 && source != "draft" ? await store.VersionAsync(id, flow.PublishedVersion, ct) : null;
            return TypedResults.Ok(Json(published?.Definition ?? flow.Draft));
        }).WithName("ExportFlow");
        FlowRunEndpoints.Map(group, store, environment);
        routes.MapCronPreviewEndpoints();
        routes.MapWorkflowNodeEndpoints();
        return routes;
    }

    internal static ProblemHttpResult Problem(int status, string detail, IReadOnlyList<FlowProblem>? errors = null) =>
        TypedResults.Problem(detail, statusCode: status, title: status switch
        {
            404 => "Not found.",
            409 => "The request conflicts with the current state.",
            422 => "The flow does not validate.",
            _ => "The request is invalid.",
        }, extensions: errors is null ? null : new Dictionary<string, object?> { ["errors"] = errors });

    // The web names whose save it would replace and when; a script reads the revision to retry on.
    private static ProblemHttpResult Conflict(FlowRevisionConflictException e) =>
        TypedResults.Problem(e.Message, statusCode: 409, title: "The request conflicts with the current state.", extensions: new Dictionary<string, object?>
        {
            ["currentRevision"] = e.Current.DraftRevision,
            ["updatedBy"] = e.Current.UpdatedBy,
            ["updatedAt"] = e.Current.UpdatedAt,
        });

    internal static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private static string User(HttpContext http) => http.User.FindFirstValue(ClaimTypes.Name) ?? "anonymous";

    private static Ok<object> Validate(JsonElement body, ScriptEnvironmentRule environment)
    {
        var definition = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("definition", out var d) ? d : body;
        var (_, problems) = FlowValidator.Validate(definition, FlowCatalog.Activities, environment);
        return TypedResults.Ok<object>(new { valid = problems.Count == 0, errors = problems });
    }

    private static async Task<Results<Created<object>, Ok<object>, ProblemHttpResult>> CreateAsync(FlowStore store, ScriptEnvironmentRule environment, JsonElement body, string user, CancellationToken ct)
    {
        // Import posts the exported document itself; the designer posts {definition, baseRevision?}.
        var wrapped = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("definition", out _);
        var definition = wrapped ? body.GetProperty("definition") : body;
        int? baseRevision = null;
        if (wrapped && body.TryGetProperty("baseRevision", out var b) && b.ValueKind != JsonValueKind.Null)
        {
            if (b.ValueKind != JsonValueKind.Number || !b.TryGetInt32(out var revision))
            {
                return Problem(400, "baseRevision takes the whole number of the draft revision the document replaces");
            }

            baseRevision = revision;
        }

        var (document, problems) = FlowValidator.Validate(definition, FlowCatalog.Activities, environment);
        if (document is null)
        {
            return Problem(400, $"not a flow document: {problems[0].Message}", problems);
        }

        if (problems.FirstOrDefault(p => p.Code == FlowProblemCodes.BadId && p.NodeId is null) is { } badId)
        {
            return Problem(400, badId.Message, problems);
        }

        var draft = document with { State = "draft" };
        try
        {
            var (flow, created) = await store.CreateOrReplaceDraftAsync(document.Id, Name(document), FlowDocumentReader.Write(draft).GetRawText(), baseRevision, user, DateTimeOffset.UtcNow, ct);
            var answer = (object)new { id = flow.Id, name = flow.Name, draftRevision = flow.DraftRevision, created, errors = problems };
            return created ? TypedResults.Created($"/api/flows/{flow.Id}", answer) : TypedResults.Ok(answer);
        }
        catch (FlowRevisionConflictException e)
        {
            return Conflict(e);
        }
    }

    private static async Task<Results<Ok<object>, ProblemHttpResult>> ShowAsync(FlowStore store, ScriptEnvironmentRule environment, string id, CancellationToken ct)
    {
        var flow = await store.GetAsync(id, ct);
        if (flow is null)
        {
            return Problem(404, $"flow {id} does not exist");
        }

        var published = flow.PublishedVersion > 0 ? await store.VersionAsync(id, flow.PublishedVersion, ct) : null;
        var draft = Json(flow.Draft);
        return TypedResults.Ok<object>(new
        {
            id = flow.Id,
            name = flow.Name,
            draft,
            draftRevision = flow.DraftRevision,
            updatedAt = flow.UpdatedAt,
            updatedBy = flow.UpdatedBy,
            // Checked with the rule in force now, like the draft: the setting may have narrowed since the publish.
            published = published is null ? null : new
            {
                version = published.Version,
                definition = Json(published.Definition),
                publishedAt = published.PublishedAt,
                publishedBy = published.PublishedBy,
                errors = FlowValidator.Validate(Json(published.Definition), FlowCatalog.Activities, environment).Problems,
            },
            errors = FlowValidator.Validate(draft, FlowCatalog.Activities, environment).Problems,
        });
    }

    private static async Task<Results<Ok<object>, ProblemHttpResult>> SaveDraftAsync(FlowStore store, ScriptEnvironmentRule environment, string id, SaveDraftRequest request, string user, CancellationToken ct)
    {
        if (request.Definition is not { } definition || request.BaseRevision is not { } baseRevision)
        {
            return Problem(400, "definition and baseRevision are required");
        }

        var (document, problems) = FlowValidator.Validate(definition, FlowCatalog.Activities, environment);
        if (document is null)
        {
            return Problem(400, $"not a flow document: {problems[0].Message}", problems);
        }

        if (document.Id != id)
        {
            return Problem(400, $"the document's id is \"{document.Id}\", but this is flow {id}");
        }

        try
        {
            var saved = await store.SaveDraftAsync(id, Name(document), FlowDocumentReader.Write(document with { State = "draft" }).GetRawText(), baseRevision, user, DateTimeOffset.UtcNow, ct);
            return saved is null ? Problem(404, $"flow {id} does not exist") : TypedResults.Ok<object>(new { draftRevision = saved.DraftRevision, errors = problems });
        }
        catch (FlowRevisionConflictException e)
        {
            return Conflict(e);
        }
    }

    private static async Task<Results<Created<object>, ProblemHttpResult>> PublishAsync(FlowStore store, ScriptEnvironmentRule environment, string id, PublishRequest? request, string user, CancellationToken ct)
    {
        var flow = await store.GetAsync(id, ct);
        if (flow is null)
        {
            return Problem(404, $"flow {id} does not exist");
        }

        if (request?.Revision is { } revision && revision != flow.DraftRevision)
        {
            return Conflict(new FlowRevisionConflictException(flow, revision));
        }

        return await PublishDefinitionAsync(store, environment, flow, Json(flow.Draft), request?.Revision ?? flow.DraftRevision, user, request?.Note, ct);
    }

    private static async Task<Results<Created<object>, ProblemHttpResult>> RollbackAsync(FlowStore store, ScriptEnvironmentRule environment, string id, PublishRequest request, string user, CancellationToken ct)
    {
        var flow = await store.GetAsync(id, ct);
        if (flow is null || request.Version is not { } version || await store.VersionAsync(id, version, ct) is not { } old)
        {
            return Problem(flow is null ? 404 : 400, flow is null ? $"flow {id} does not exist" : $"version must name a published version of {id}");
        }

        return await PublishDefinitionAsync(store, environment, flow, Json(old.Definition), null, user, request.Note ?? $"rollback to version {version}", ct);
    }

    private static async Task<Results<Created<object>, ProblemHttpResult>> PublishDefinitionAsync(
        FlowStore store, ScriptEnvironmentRule environment, StoredFlow flow, JsonElement definition, int? revision, string user, string? note, CancellationToken ct)
    {
        var (document, problems) = FlowValidator.Validate(definition, FlowCatalog.Activities, environment);
        if (document is null || problems.Count > 0)
        {
            return Problem(422, $"flow {flow.Id} has {problems.Count} problem(s); nothing was published", problems);
        }

        try
        {
            var version = await store.PublishAsync(flow.Id, v => FlowDocumentReader.Write(document with { Version = v, State = "published" }).GetRawText(), revision, user, note, DateTimeOffset.UtcNow, ct);
            return TypedResults.Created($"/api/flows/{flow.Id}/versions/{version.Version}", (object)new { version = version.Version, publishedAt = version.PublishedAt, publishedBy = version.PublishedBy });
        }
        catch (FlowRevisionConflictException e)
        {
            return Conflict(e);
        }
    }

    private static string Name(FlowDocument document) => string.IsNullOrWhiteSpace(document.Name) ? document.Id : document.Name;
}
