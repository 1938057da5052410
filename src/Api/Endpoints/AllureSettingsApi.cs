using Microsoft.AspNetCore.Http.HttpResults;
using Seismo.Api.Auth;
using Seismo.Api.Contracts;
using Seismo.Api.Infrastructure;
using Seismo.Api.Settings;
using Seismo.Domain.Settings;

namespace Seismo.Api.Endpoints;

/// <summary>The Allure CLI Seismo generates reports with: installed and latest version, and installing one (server settings).</summary>
public static class AllureSettingsApi
{
    public static RouteGroupBuilder MapAllureSettings(this RouteGroupBuilder group)
    {
        group.MapGet("/allure", GetAsync).WithSummary("{version: installed where reports are generated (allure --version on every silo, \"\" if none), latest: npm's latest (cached 1 h, \"\" if unreachable), silos: [{silo, version}]}");
        group.MapPut("/allure", PutAsync)
            .WithSummary("{version: MAJOR.MINOR.PATCH}: npm install --prefix <DataDir>/tools/allure allure@<version> on every silo; 500 carries npm's stderr");
        return group;
    }

    private static async Task<Results<Ok<AllureVersionDto>, JsonHttpResult<ErrorEnvelope>>> GetAsync(
        HttpContext http, ServerOwner owner, AllureTool allure, CancellationToken ct)
    {
        if (await owner.DenyAsync(SeismoCaller.From(http.User)) is { } denied) return denied;
        var installed = allure.InstalledVersionsAsync();
        var latest = allure.LatestVersionAsync(ct);
        var silos = await installed;
        return TypedResults.Ok(new AllureVersionDto(AllureTool.Summary(silos), await latest, Silos(silos)));
    }

    private static async Task<Results<Ok<AllureInstalledDto>, JsonHttpResult<ErrorEnvelope>>> PutAsync(
        HttpContext http, ServerOwner owner, AllureTool allure, CancellationToken ct)
    {
        if (await owner.DenyAsync(SeismoCaller.From(http.User)) is { } denied) return denied;
        var (body, error) = await JsonFields.ReadAsync(http.Request);
        if (error is not null) return ApiError.Validation(error);
        var version = body!.String("version", required: true, maxLength: 64);
        body.Unknown("version");
        if (body.Error is not null) return ApiError.Validation(body.Error);
        switch (ReleaseVersion.Problem(version!))
        {
            case "prerelease":
                return ApiError.Validation("version", "prerelease", $"Field 'version' must be a release MAJOR.MINOR.PATCH; pre-release '{version}' is not accepted");
            case { } reason:
                return ApiError.Validation("version", reason, "Field 'version' must be a semver release MAJOR.MINOR.PATCH, e.g. 3.18.0");
        }
        if (!await allure.IsPublishedAsync(version!, ct))
            return ApiError.Validation("version", "not_published", $"allure@{version} is not published on {allure.Registry}");

        var result = await allure.InstallAsync(version!);
        if (!result.Succeeded)
        {
            return ApiError.Of(StatusCodes.Status500InternalServerError, "INSTALL_FAILED", $"npm install allure@{version} failed: {Tail(result.Error)}",
                new Dictionary<string, object?> { ["stderr"] = Tail(result.Error) });
        }
        return TypedResults.Ok(new AllureInstalledDto(result.Version, Silos(result.Silos)));
    }

    private static IReadOnlyList<AllureSiloDto> Silos(IReadOnlyList<Seismo.Grains.AllureToolVersion> silos) =>
        silos.Select(s => new AllureSiloDto(s.Silo, s.Version)).ToList();

    private static string Tail(string text) => text.Length <= 8192 ? text.Trim() : text[^8192..].Trim();
}
