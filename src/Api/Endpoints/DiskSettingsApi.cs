using Microsoft.AspNetCore.Http.HttpResults;
using Seismo.Api.Auth;
using Seismo.Api.Contracts;
using Seismo.Api.Infrastructure;
using Seismo.Api.Settings;
using Seismo.Grains;

namespace Seismo.Api.Endpoints;

/// <summary>Disk usage of the data dir (cached 60 s) and the alert threshold (server settings).</summary>
public static class DiskSettingsApi
{
    public static RouteGroupBuilder MapDiskSettings(this RouteGroupBuilder group)
    {
        group.MapGet("/disk", GetAsync).WithSummary("usedBytes (files under the data dir), freeBytes, totalBytes, breakdown: top 20 env/project pairs");
        group.MapGet("/disk/notification-threshold", GetThresholdAsync).WithSummary("{thresholdPercent}, 85 until set");
        group.MapPut("/disk/notification-threshold", PutThresholdAsync).WithSummary("{thresholdPercent: 0..100}; 204");
        return group;
    }

    private static async Task<Results<Ok<DiskUsageDto>, JsonHttpResult<ErrorEnvelope>>> GetAsync(
        HttpContext http, IGrainFactory grains, ServerOwner owner, DiskUsage disk)
    {
        var caller = SeismoCaller.From(http.User);
        if (await owner.DenyAsync(caller) is { } denied) return denied;
        var (scan, breakdown) = await disk.MeasureAsync(grains, caller);
        await grains.GetGrain<ISystemSettingsGrain>(0).CheckDiskAsync(scan.Space);
        return TypedResults.Ok(new DiskUsageDto(scan.UsedBytes, scan.Space.FreeBytes, scan.Space.TotalBytes,
            breakdown.Select(b => new DiskBreakdownDto(b.Path, b.Bytes)).ToList()));
    }

    private static async Task<Results<Ok<DiskThresholdDto>, JsonHttpResult<ErrorEnvelope>>> GetThresholdAsync(
        HttpContext http, IGrainFactory grains, ServerOwner owner)
    {
        if (await owner.DenyAsync(SeismoCaller.From(http.User)) is { } denied) return denied;
        return TypedResults.Ok(new DiskThresholdDto(await grains.GetGrain<ISystemSettingsGrain>(0).GetDiskThresholdAsync()));
    }

    private static async Task<Results<NoContent, JsonHttpResult<ErrorEnvelope>>> PutThresholdAsync(
        HttpContext http, IGrainFactory grains, ServerOwner owner, DiskUsage disk)
    {
        if (await owner.DenyAsync(SeismoCaller.From(http.User)) is { } denied) return denied;
        var (body, error) = await JsonFields.ReadAsync(http.Request);
        if (error is not null) return ApiError.Validation(error);
        var percent = body!.Integer("thresholdPercent", required: true, min: 0, max: 100);
        body.Unknown("thresholdPercent");
        if (body.Error is not null) return ApiError.Validation(body.Error);
        await grains.GetGrain<ISystemSettingsGrain>(0).SetDiskThresholdAsync((int)percent!.Value, disk.Space());
        return TypedResults.NoContent();
    }
}
