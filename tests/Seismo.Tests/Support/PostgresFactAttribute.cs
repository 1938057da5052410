namespace Seismo.Tests.Support;

/// <summary>A fact that is skipped, with the reason, when <see cref="PostgresServer"/> cannot run here.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresServer.UnavailableReason is { } reason) Skip = reason;
    }
}
