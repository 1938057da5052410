using System.Security.Claims;
using Seismo.Grains;

namespace Seismo.Api.Auth;

/// <summary>Who is calling: the key, its account, its project (for a project key) and its role.</summary>
public sealed record SeismoCaller(Guid KeyId, Guid AccountId, Guid? ProjectId, Role Role)
{
    public const string KeyIdClaim = "seismo:key";
    public const string AccountClaim = "seismo:account";
    public const string ProjectClaim = "seismo:project";
    public const string RoleClaim = "seismo:role";

    public bool Has(Permission permission) => (int)Role >= (int)permission;

    public bool Reaches(ProjectInfo project) => project.AccountId == AccountId && (ProjectId is null || ProjectId == project.Id);

    public bool IsAccountKey => ProjectId is null;

    public ClaimsPrincipal ToPrincipal(string scheme)
    {
        var claims = new List<Claim>
        {
            new(KeyIdClaim, KeyId.ToString()),
            new(AccountClaim, AccountId.ToString()),
            new(RoleClaim, Role.ToString()),
        };
        if (ProjectId is { } p) claims.Add(new Claim(ProjectClaim, p.ToString()));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    public static SeismoCaller From(ClaimsPrincipal user) => TryFrom(user)
        ?? throw new InvalidOperationException("endpoint requires authentication but no caller is set");

    public static SeismoCaller? TryFrom(ClaimsPrincipal user)
    {
        if (user.FindFirstValue(KeyIdClaim) is not { } key) return null;
        return new SeismoCaller(
            Guid.Parse(key),
            Guid.Parse(user.FindFirstValue(AccountClaim)!),
            user.FindFirstValue(ProjectClaim) is { } p ? Guid.Parse(p) : null,
            Enum.Parse<Role>(user.FindFirstValue(RoleClaim)!));
    }
}
