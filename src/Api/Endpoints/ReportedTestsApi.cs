using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Seismo.Api.Auth;
using Seismo.Api.Contracts;
using Seismo.Api.Infrastructure;
using Seismo.Domain.Identity;
using Seismo.Domain.Reporting;
using Seismo.Grains;

namespace Seismo.Api.Endpoints;

/// <summary>
/// Test results a reporter posts one by one into an open run (POST /api/tests, permission upload), and their steps
/// (GET /api/tests/{id}/steps, permission view). The test's identity is <see cref="TestKeys.FromEuriqa"/>, the same
/// test id /collect and Allure give it. A 201 means the result is in the open run's buffer: it is written with the
/// run's next batch and is in the run log once the run is closed as passed or failed (README "Euriqa reporting").
/// </summary>
public static class ReportedTestsApi
{
    private const int MaxBodyBytes = 8 << 20;
    private const int MaxOutputChars = 1 << 20;
    private const int MaxStackChars = 8192;

    public static IEndpointRouteBuilder MapReportedTestsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/tests").WithTags("Tests");
        group.MapPost("/", ReportAsync).WithSummary("Post one test result, with its steps, into an open run")
            .RequireAuthorization(Policies.Upload).AddEndpointFilter(RateLimits.Filter(RateLimitGroup.TestsWrite));
        group.MapGet("/{id}/steps", StepsAsync).WithSummary("The test's steps (hooks, actions, assertions, fixtures), nested")
            .RequireAuthorization(Policies.View).AddEndpointFilter(RateLimits.Filter(RateLimitGroup.TestsRead));
        return app;
    }

    private static async Task<Results<Created<ReportedTestDto>, JsonHttpResult<ErrorEnvelope>>> ReportAsync(
        HttpContext http, IGrainFactory grains, TimeProvider clock)
    {
        var caller = SeismoCaller.From(http.User);
        if (http.Request.ContentLength > MaxBodyBytes)
            return ApiError.Of(StatusCodes.Status413PayloadTooLarge, "PAYLOAD_TOO_LARGE", $"A test result is at most {MaxBodyBytes} bytes");
        var (body, error) = await JsonFields.ReadAsync(http.Request, MaxBodyBytes);
        if (error is not null) return ApiError.Validation(error);
        var (reported, invalid, runGuid, projectId) = Parse(body!, caller, clock.GetUtcNow());
        if (invalid is not null) return ApiError.Validation(invalid);

        var (_, denied) = await ProjectAccess.ResolveAsync(grains, caller, projectId, Permission.Upload);
        if (denied is not null) return denied;

        var outcome = await grains.GetGrain<IReporterRunGrain>(runGuid).ReportAsync(projectId, reported!);
        var runId = body!.String("runId")!;
        switch (outcome.Status)
        {
            case ReportStatus.RunNotFound:
                return await grains.GetGrain<IRunGrain>(runGuid).GetAsync() is { } other && other.Metadata.ProjectId == projectId
                    ? ApiError.Of(StatusCodes.Status409Conflict, "CONFLICT", $"Run '{runId}' came from /collect; tests are posted to runs opened with POST /api/runs")
                    : ApiError.NotFound("Run", runId);
            case ReportStatus.RunClosed:
                return ApiError.Of(StatusCodes.Status409Conflict, "CONFLICT", $"Run '{runId}' is closed; it takes no more results");
        }
        var r = reported!.Result;
        var id = PublicIds.ResultId(runGuid, outcome.Index);
        return TypedResults.Created($"/api/tests/{id}", new ReportedTestDto(id, PublicIds.TestId(projectId, r.KeyHash), runGuid.ToString(), projectId,
            r.Title, r.FullTitle!, Mapping.StatusName(outcome.FoldedStatus), r.DurationMs, outcome.FoldedStatus == TestStatus.Flaky, reported.Detail.CreatedAt));
    }

    private static (ReportedResult?, FieldError?, Guid RunGuid, Guid ProjectId) Parse(JsonFields body, SeismoCaller caller, DateTimeOffset now)
    {
        var runId = body.String("runId", required: true, maxLength: 128);
        var projectId = body.Guid("projectId", required: caller.IsAccountKey) ?? caller.ProjectId ?? Guid.Empty;
        var title = body.String("title", required: true, maxLength: 4096);
        var fullTitle = body.String("fullTitle", required: true, maxLength: 16384);
        var filePath = body.String("filePath", maxLength: 2048);
        var line = (int?)body.Integer("lineNumber", min: 0, max: int.MaxValue);
        var statusText = body.String("status", required: true, maxLength: 16);
        var duration = body.Number("duration", required: true, min: 0, max: 1e12);
        var retries = (int?)body.Integer("retries", min: 0, max: 1000);
        var attempt = (int?)body.Integer("attempt", min: 0, max: 1001);
        var isFlaky = body.Bool("isFlaky");
        var tags = body.Strings("tags", maxItems: 200) ?? [];
        var stdout = Output(body, "stdout");
        var stderr = Output(body, "stderr");
        if (body.Error is not null) return (null, body.Error, default, default);
        if (!PublicIds.TryParseRunId(runId, out var runGuid)) return (null, new FieldError("runId", "invalid_format", "Field 'runId' is not a run id"), default, default);

        TestStatus status;
        switch (statusText)
        {
            case "passed": status = isFlaky == true ? TestStatus.Flaky : TestStatus.Passed; break;
            case "failed" or "timedOut" or "interrupted": status = TestStatus.Failed; break;
            case "skipped": status = TestStatus.Skipped; break;
            case "flaky": status = TestStatus.Flaky; break;
            default: return (null, new FieldError("status", "invalid_value", "Field 'status' must be one of: passed, failed, skipped, flaky"), default, default);
        }

        var (annotations, annotationsError) = Annotations(body.Element("annotations"));
        if (annotationsError is not null) return (null, annotationsError, default, default);
        var (err, errError) = ErrorOf(body.Element("error"));
        if (errError is not null) return (null, errError, default, default);
        string? steps = null;
        if (body.Element("steps") is { } stepsElement)
        {
            var normalized = ReportedSteps.Normalize(stepsElement);
            if (normalized.Error is { } f) return (null, new FieldError(f.Field, f.Reason, f.Message), default, default);
            steps = normalized.Json;
        }

        var attempts = Math.Max(1, attempt ?? (retries ?? 0) + 1);
        if (status == TestStatus.Flaky) attempts = Math.Max(2, attempts);
        var key = TestKeys.FromEuriqa(fullTitle, filePath, title!);
        var stack = err.Stack is { Length: > MaxStackChars } s ? s[..MaxStackChars] : err.Stack;
        var result = new TestResult(key.Value, title!, fullTitle, null, filePath, line, status, attempts, duration!.Value, err.Message, null, stack, key.HashHex());
        var detail = new ResultDetail(retries ?? attempts - 1, attempt ?? attempts, status == TestStatus.Flaky, tags, annotations, err.Expected,
            err.Actual, steps, stdout, stderr, now);
        return (new ReportedResult(result, detail), null, runGuid, projectId);
    }

    /// <summary>A string, or Playwright's array of output chunks joined; at most 1 Mi characters.</summary>
    private static string? Output(JsonFields body, string name)
    {
        if (body.Element(name) is not { } v) return null;
        if (v.ValueKind != JsonValueKind.Array || v.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
            return body.String(name, maxLength: MaxOutputChars);
        var joined = string.Concat(v.EnumerateArray().Select(e => e.GetString()));
        if (joined.Length <= MaxOutputChars) return joined;
        body.Reject(new FieldError(name, "too_long", $"Field '{name}' must be at most {MaxOutputChars} characters"));
        return null;
    }

    private static (string? Json, FieldError? Error) Annotations(JsonElement? annotations)
    {
        if (annotations is not { } a) return (null, null);
        if (a.ValueKind != JsonValueKind.Array || a.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.Object))
            return (null, new FieldError("annotations", "invalid_type", "Field 'annotations' must be an array of objects"));
        var i = 0;
        foreach (var item in a.EnumerateArray())
        {
            foreach (var name in new[] { "type", "description" })
            {
                if (item.TryGetProperty(name, out var v) && v.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                    return (null, new FieldError($"annotations[{i}].{name}", "invalid_type", $"Field 'annotations[{i}].{name}' must be a string"));
            }
            i++;
        }
        var raw = a.GetRawText();
        return raw.Length > 65_536 ? (null, new FieldError("annotations", "too_long", "Field 'annotations' is at most 64 KiB")) : (raw, null);
    }

    private readonly record struct ErrorParts(string? Message, string? Stack, string? Expected, string? Actual);

    private static (ErrorParts, FieldError?) ErrorOf(JsonElement? error)
    {
        if (error is not { } e) return (default, null);
        if (e.ValueKind != JsonValueKind.Object) return (default, new FieldError("error", "invalid_type", "Field 'error' must be an object or null"));
        string? Part(string name, out FieldError? problem)
        {
            problem = null;
            if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            // Expected and actual values of an assertion may be any JSON value: kept as their JSON text unless strings.
            if (v.ValueKind == JsonValueKind.String) return v.GetString();
            if (name is "expected" or "actual") return v.GetRawText();
            problem = new FieldError($"error.{name}", "invalid_type", $"Field 'error.{name}' must be a string");
            return null;
        }
        var parts = new ErrorParts(Part("message", out var p1), Part("stack", out var p2), Part("expected", out var p3), Part("actual", out var p4));
        return (parts, p1 ?? p2 ?? p3 ?? p4);
    }

    private static async Task<Results<ContentHttpResult, JsonHttpResult<ErrorEnvelope>>> StepsAsync(HttpContext http, IGrainFactory grains, string id)
    {
        var caller = SeismoCaller.From(http.User);
        Guid runGuid;
        int index;
        if (PublicIds.TryParseResultId(id, out runGuid, out index)) { }
        else if (PublicIds.TryParseTestId(id, out var projectId, out var hash))
        {
            var (_, hidden) = await ProjectAccess.ResolveAsync(grains, caller, projectId, Permission.View);
            if (hidden is not null) return ApiError.NotFound("Test", id);
            var test = await grains.GetGrain<ITestGrain>(PublicIds.TestGrainKey(projectId, hash)).GetAsync();
            if (test?.Latest is not { } latest) return ApiError.NotFound("Test", id);
            (runGuid, index) = (latest.RunGuid, latest.ResultIndex);
        }
        else return ApiError.NotFound("Test", id);

        var run = await grains.GetGrain<IRunGrain>(runGuid).GetAsync();
        if (run is null) return ApiError.NotFound("Test", id);
        var (_, denied) = await ProjectAccess.ResolveAsync(grains, caller, run.Metadata.ProjectId, Permission.View);
        if (denied is not null) return ApiError.NotFound("Test", id);
        var detail = run.Metadata.Source == "euriqa" ? await grains.GetGrain<IReporterRunGrain>(runGuid).GetDetailAsync(index) : null;
        if (detail is null && (await grains.GetGrain<IRunGrain>(runGuid).GetResultsAsync()).Count <= index) return ApiError.NotFound("Test", id);
        // A result from another source (JUnit, Allure) has no steps: an empty list.
        return TypedResults.Content(new StringBuilder("{\"data\":").Append(detail?.StepsJson ?? "[]").Append('}').ToString(), "application/json");
    }
}
