using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Seismo.Api.Auth;
using Seismo.Api.Contracts;
using Seismo.Api.Infrastructure;
using Seismo.Domain.Pipelines;
using Seismo.Grains;

namespace Seismo.Api.Endpoints;

/// <summary>What the CircleCI-style routes share: project slugs, page tokens and the <c>{"message": "…"}</c> errors.</summary>
internal static class PipelineWire
{
    public const int PageSize = 20;

    public static JsonHttpResult<CircleError> Error(int status, string message) =>
        TypedResults.Json(new CircleError(message), SeismoJson.Options, statusCode: status);

    public static JsonHttpResult<CircleError> NotFound(string what) => Error(404, $"{what} not found");

    /// <summary>The error body the area of <paramref name="path"/> uses, for refusals written outside its endpoints (401, 403).</summary>
    public static IResult? ErrorFor(PathString path, int status, string message)
    {
        if (path.StartsWithSegments("/api/v2")) return Error(status, message);
        if (path.StartsWithSegments("/api/ingest") || path.StartsWithSegments("/functions/v1/ingest")) return RunWatchApi.Error(status, message);
        return null;
    }

    /// <summary>The project a slug names in the caller's account, or the 404 that hides it (unknown, or out of the key's reach).</summary>
    public static async Task<(ProjectInfo? Project, string Slug, JsonHttpResult<CircleError>? Error)> ProjectAsync(
        HttpContext http, IGrainFactory grains, string vcs, string org, string name)
    {
        var caller = SeismoCaller.From(http.User);
        if (PipelineNames.NormaliseSlug(vcs, org, name) is not { } slug) return (null, "", NotFound("Project"));
        slug = slug.ToLowerInvariant();
        var id = await grains.GetGrain<IRepositoryDirectoryGrain>(caller.AccountId).FindAsync(slug);
        if (id is null) return (null, slug, NotFound("Project"));
        var (project, denied) = await ProjectAccess.ResolveAsync(grains, caller, id.Value, Permission.View);
        return denied is not null ? (null, slug, NotFound("Project")) : (project, slug, null);
    }

    /// <summary>A pipeline the caller may view, or null.</summary>
    public static async Task<PipelineView?> PipelineAsync(HttpContext http, IGrainFactory grains, Guid id)
    {
        var view = await grains.GetGrain<IPipelineGrain>(id).GetAsync();
        if (view is null) return null;
        var (_, denied) = await ProjectAccess.ResolveAsync(grains, SeismoCaller.From(http.User), view.ProjectId, Permission.View);
        return denied is null ? view : null;
    }

    public static string Token(string text) => WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(text));

    /// <summary>Reads a page token made by <see cref="Token"/>; false when it is not one of ours.</summary>
    public static bool TryReadToken(string? token, string kind, out string[] parts)
    {
        parts = [];
        if (token is null) return true;
        try
        {
            var text = Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(token));
            var split = text.Split(':');
            if (split.Length < 2 || split[0] != kind) return false;
            parts = split[1..];
            return true;
        }
        catch (FormatException) { return false; }
    }

    public static bool TryReadOffset(string? token, out int offset)
    {
        offset = 0;
        return TryReadToken(token, "o", out var parts) && (parts.Length == 0 || int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out offset));
    }

    public static string? NextOffset(int offset, int returned, bool more) => more ? Token($"o:{offset + returned}") : null;

    public static string RepositoryUrl(string provider, string repository) => provider switch
    {
        "github" => $"https://github.com/{repository}",
        "gitlab" => $"https://gitlab.com/{repository}",
        "bitbucket" => $"https://bitbucket.org/{repository}",
        _ => repository,
    };
}
