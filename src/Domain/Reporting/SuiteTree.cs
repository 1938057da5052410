namespace Seismo.Domain.Reporting;

/// <summary>
/// The describe-block hierarchy of a run's suites: each suite under its parent, roots first, in the order they were
/// reported. Suites are kept flat (id, parent id); this builds the tree the listing shows.
/// </summary>
public static class SuiteTree
{
    public sealed record Flat(string Id, string Title, string? FilePath, string? ParentId);

    public sealed record Node(string Id, string Title, string? FilePath, string? ParentId, IReadOnlyList<Node> Children);

    public static IReadOnlyList<Node> Build(IReadOnlyList<Flat> suites)
    {
        var known = suites.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var children = suites.Where(s => s.ParentId is not null && known.Contains(s.ParentId))
            .GroupBy(s => s.ParentId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var placed = new HashSet<string>(StringComparer.Ordinal);

        Node Make(Flat s)
        {
            placed.Add(s.Id);
            var kids = children.TryGetValue(s.Id, out var list) ? list.Where(c => !placed.Contains(c.Id)).Select(Make).ToList() : [];
            return new Node(s.Id, s.Title, s.FilePath, s.ParentId, kids);
        }

        var roots = suites.Where(s => s.ParentId is null || !known.Contains(s.ParentId)).Select(Make).ToList();
        // A suite whose ancestors form a loop is reachable from no root: it is shown as a root rather than lost.
        foreach (var s in suites) if (!placed.Contains(s.Id)) roots.Add(Make(s));
        return roots;
    }

    /// <summary>Whether making <paramref name="parentId"/> the parent of <paramref name="id"/> would put the suite under itself.</summary>
    public static bool WouldCycle(IReadOnlyDictionary<string, string?> parents, string id, string? parentId)
    {
        var seen = 0;
        for (var at = parentId; at is not null && seen++ <= parents.Count; at = parents.GetValueOrDefault(at))
        {
            if (at == id) return true;
        }
        return false;
    }
}
