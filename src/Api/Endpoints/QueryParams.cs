using Seismo.Api.Auth;
using Seismo.Api.Infrastructure;

namespace Seismo.Api.Endpoints;

/// <summary>Validation of the query parameters the list endpoints share.</summary>
internal static class QueryParams
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    /// <param name="defaultLimit">The page size when no limit is given (the flakiness list, per its contract, has none).</param>
    public static FieldError? Paging(string? limit, string? offset, out int take, out int skip, int defaultLimit = DefaultLimit)
    {
        take = defaultLimit;
        skip = 0;
        if (limit is not null && (!int.TryParse(limit, out take) || take < 1 || take > MaxLimit))
            return new FieldError("limit", "out_of_range", $"Query parameter 'limit' must be an integer from 1 to {MaxLimit}");
        if (offset is not null && (!int.TryParse(offset, out skip) || skip < 0))
            return new FieldError("offset", "out_of_range", "Query parameter 'offset' must be a non-negative integer");
        return null;
    }

    /// <summary>The project a list is about: the one named, else a project key's own; account keys must name one.</summary>
    public static FieldError? Project(SeismoCaller caller, string? projectId, out Guid project)
    {
        project = Guid.Empty;
        if (projectId is null)
        {
            if (caller.ProjectId is { } own) { project = own; return null; }
            return new FieldError("projectId", "required", "Query parameter 'projectId' is required");
        }
        return Guid.TryParse(projectId, out project) ? null : new FieldError("projectId", "invalid_format", "Query parameter 'projectId' must be a UUID");
    }

    public static FieldError? Bool(string name, string? value, out bool? result)
    {
        result = null;
        if (value is null) return null;
        if (bool.TryParse(value, out var parsed)) { result = parsed; return null; }
        return new FieldError(name, "invalid_value", $"Query parameter '{name}' must be true or false");
    }

    public static FieldError? OneOf(string name, string? value, params string[] allowed) =>
        value is null || allowed.Contains(value) ? null
            : new FieldError(name, "invalid_value", $"Query parameter '{name}' must be one of: {string.Join(", ", allowed)}");
}
