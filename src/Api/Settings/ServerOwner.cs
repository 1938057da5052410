using Microsoft.AspNetCore.Http.HttpResults;
using Seismo.Api.Auth;
using Seismo.Api.Infrastructure;
using Seismo.Grains;

namespace Seismo.Api.Settings;

/// <summary>
/// Server-wide settings (disk, retention, the Allure CLI) belong to the account that owns the server, the one created
/// on first start: only its admin account keys may read or change them. Other tenants' admins get 403.
/// </summary>
public sealed class ServerOwner(IGrainFactory grains)
{
    private Guid? _owner;

    public async Task<JsonHttpResult<ErrorEnvelope>?> DenyAsync(SeismoCaller caller)
    {
        _owner ??= (await grains.GetGrain<IBootstrapGrain>(0).EnsureAsync(null)).AccountId;
        return caller.IsAccountKey && caller.AccountId == _owner && caller.Has(Permission.Manage)
            ? null
            : ApiError.Forbidden("Server settings need an admin key of the account that owns this server");
    }
}
