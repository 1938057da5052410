namespace Seismo.Domain.Identity;

/// <summary>Builds a <see cref="TestKey"/> from what each ingest format reports. One function per format.</summary>
public static class TestKeys
{
    /// <summary>
    /// JUnit XML: <c>classname</c> + <c>name</c>.
    /// <list type="bullet">
    /// <item>A classname that is a file path (Playwright, Vitest) is metadata; Playwright's "[project] " prefix on the
    /// name is dropped, as the other formats do not carry the project.</item>
    /// <item>A classname with spaces or title separators is a describe path or a title (Jest, Mocha): when the name
    /// already contains it, it adds nothing; otherwise it is the start of the title path.</item>
    /// <item>Any other classname (Java, .NET, Python module paths) is the class scope.</item>
    /// </list>
    /// </summary>
    public static TestKey FromJunit(string? className, string name)
    {
        var segments = TitleText.SplitTitlePath(name).ToList();
        if (segments.Count == 0) segments.Add(name);
        if (string.IsNullOrWhiteSpace(className)) return TestKey.Create(null, segments);
        if (TitleText.LooksLikePath(className))
        {
            segments[0] = TitleText.StripProjectPrefix(segments[0]);
            return TestKey.Create(null, segments);
        }
        if (!TitleText.IsTitleLike(className)) return TestKey.Create(className, segments);

        var flatName = TitleText.Flatten(segments);
        var flatClass = TitleText.Flatten(TitleText.SplitTitlePath(className));
        var redundant = flatName == flatClass || flatName.EndsWith(" " + flatClass, StringComparison.Ordinal)
            || flatName.StartsWith(flatClass + " ", StringComparison.Ordinal);
        return redundant ? TestKey.Create(null, segments) : TestKey.Create(null, [.. TitleText.SplitTitlePath(className), .. segments]);
    }

    /// <summary>
    /// Euriqa reporter: <c>fullTitle</c> (" > "-joined describe path and title). <c>filePath</c> is metadata;
    /// a leading segment that repeats the file (Playwright's titlePath) is dropped.
    /// </summary>
    public static TestKey FromEuriqa(string? fullTitle, string? filePath, string title)
    {
        var segments = TitleText.SplitTitlePath(fullTitle).ToList();
        if (segments.Count > 1 && (TitleText.LooksLikePath(segments[0]) || SamePath(segments[0], filePath))) segments.RemoveAt(0);
        if (segments.Count == 0) segments.Add(title);
        return TestKey.Create(null, segments);
    }

    /// <summary>
    /// Allure result: from <c>fullName</c> and labels, in this order:
    /// (1) a fullName joined with " › " or " > " is the title path, minus a leading file segment or "file: " prefix;
    /// (2) <c>testClass</c> + <c>testMethod</c> labels (Allure-Java, matching JUnit's classname + name);
    /// (3) a fullName "Class#method" or "package.Class.method" without spaces;
    /// (4) the suite labels (parentSuite, suite, subSuite, skipping file paths) followed by <c>name</c>.
    /// </summary>
    public static TestKey FromAllure(string? fullName, string name, IReadOnlyList<KeyValuePair<string, string>> labels)
    {
        string? Label(string key) => labels.FirstOrDefault(l => l.Key == key).Value;

        var joined = TitleText.SplitTitlePath(fullName);
        if (joined.Count > 1)
        {
            var segments = joined.ToList();
            if (segments[0].LastIndexOf(": ", StringComparison.Ordinal) is var colon and > 0 && TitleText.LooksLikePath(segments[0][..colon]))
                segments[0] = segments[0][(colon + 2)..];
            else if (TitleText.LooksLikePath(segments[0]))
                segments.RemoveAt(0);
            return TestKey.Create(null, segments);
        }

        var language = Label("language");
        var isJavaScript = language is "javascript" or "typescript";
        if (!isJavaScript && Label("testClass") is { Length: > 0 } testClass && Label("testMethod") is { Length: > 0 } testMethod)
            return TestKey.Create(testClass, [testMethod]);

        if (!isJavaScript && fullName is { Length: > 0 } && !fullName.Contains(' '))
        {
            var hash = fullName.LastIndexOf('#');
            var cut = hash > 0 ? hash : fullName.LastIndexOf('.');
            var scope = cut > 0 ? fullName[..cut] : null;
            if (scope is not null && !TitleText.LooksLikePath(scope) && !scope.Contains(':'))
                return TestKey.Create(scope, [fullName[(cut + 1)..]]);
        }

        var path = new List<string>();
        foreach (var key in (string[])["parentSuite", "suite", "subSuite"])
            foreach (var value in labels.Where(l => l.Key == key).Select(l => l.Value))
                if (!TitleText.LooksLikePath(value)) path.AddRange(TitleText.SplitTitlePath(value));
        path.Add(name);
        return TestKey.Create(null, path);
    }

    private static bool SamePath(string segment, string? filePath) =>
        filePath is not null && filePath.Replace('\\', '/').TrimStart('.', '/').EndsWith(segment.Replace('\\', '/').TrimStart('.', '/'), StringComparison.Ordinal);
}
