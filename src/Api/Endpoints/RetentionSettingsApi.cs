using Microsoft.AspNetCore.Http.HttpResults;
using Seismo.Api.Auth;
using Seismo.Api.Contracts;
using Seismo.Api.Infrastructure;
using Seismo.Api.Settings;
using Seismo.Grains;

namespace Seismo.Api.Endpoints;

/// <summary>Retention of reports, build results and upload files, and the cleanup sweeps' records (server settings).</summary>
public static class RetentionSettingsApi
{
    public const int DefaultRunsLimit = 5;
    public const int MaxRunsLimit = 50;
    private static readonly string[] Fields = ["retentionDays", "intervalHours", "dryRun"];

    public static RouteGroupBuilder MapRetentionSettings(this RouteGroupBuilder group)
    {
        group.MapGet("/retention", GetAsync).WithSummary("{retentionDays, intervalHours, dryRun}");
        group.MapPut("/retention", PutAsync).WithSummary("{retentionDays >= 1, intervalHours >= 1, dryRun}; fields left out keep their value; 204");
        group.MapGet("/retention/runs", ListRunsAsync).WithSummary($"Cleanup sweeps, newest first: limit (default {DefaultRunsLimit}, max {MaxRunsLimit}); the 5 newest are kept");
        group.MapPost("/retention/runs", SweepAsync).WithSummary("Run a cleanup sweep now (Seismo's addition); 201 with its record");
        return group;
    }

    private static async Task<Results<Ok<RetentionSettingsDto>, JsonHttpResult<ErrorEnvelope>>> GetAsync(HttpContext http, IGrainFactory grains, ServerOwner owner)
    {
        if (await owner.DenyAsync(SeismoCaller.From(http.User)) is { } denied) return denied;
        var s = await grains.GetGrain<IRetentionGrain>(0).GetSettingsAsync();
        return TypedResults.Ok(new RetentionSettingsDto(s.RetentionDays, s.IntervalHours, s.DryRun));
    }

    private static async Task<Results<NoContent, JsonHttpResult<ErrorEnvelope>>> PutAsync(HttpContext http, IGrainFactory grains, ServerOwner owner)
    {
        if (await owner.DenyAsync(SeismoCaller.From(http.User)) is { } denied) return denied;
        var (body, error) = await JsonFields.ReadAsync(http.Request);
        if (error is not null) return ApiError.Validation(error);
        var days = body!.Integer("retentionDays", min: 1, max: 36500);
        var hours = body.Integer("intervalHours", min: 1, max: 8760);
        var dryRun = body.Bool("dryRun");
        body.Unknown(Fields);
        if (body.Error is not null) return ApiError.Validation(body.Error);
        var retention = grains.GetGrain<IRetentionGrain>(0);
        var current = await retention.GetSettingsAsync();
        await retention.SetSettingsAsync(new RetentionSettings((int?)days ?? current.RetentionDays, (int?)hours ?? current.IntervalHours, dryRun ?? current.DryRun));
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<CleanupRunDto[]>, JsonHttpResult<ErrorEnvelope>>> ListRunsAsync(
        HttpContext http, IGrainFactory grains, ServerOwner owner, string? limit)
    {
        if (await owner.DenyAsync(SeismoCaller.From(http.User)) is { } denied) return denied;
        var take = DefaultRunsLimit;
        if (limit is not null && (!int.TryParse(limit, out take) || take < 1 || take > MaxRunsLimit))
            return ApiError.Validation("limit", "out_of_range", $"Query parameter 'limit' must be an integer from 1 to {MaxRunsLimit}");
        var runs = await grains.GetGrain<IRetentionGrain>(0).ListRunsAsync(take);
        return TypedResults.Ok(Array.ConvertAll(runs, CleanupRunDto.From));
    }

    private static async Task<Results<Created<CleanupRunDto>, JsonHttpResult<ErrorEnvelope>>> SweepAsync(HttpContext http, IGrainFactory grains, ServerOwner owner)
    {
        if (await owner.DenyAsync(SeismoCaller.From(http.User)) is { } denied) return denied;
        var run = await grains.GetGrain<IRetentionGrain>(0).SweepAsync();
        return TypedResults.Created("/api/settings/retention/runs", CleanupRunDto.From(run));
    }
}
