using System.Globalization;
using System.Xml;

namespace Seismo.Domain.Junit;

/// <summary>Takes the totals from the root element, else sums those of the top-level &lt;testsuite&gt; elements.</summary>
internal sealed class DeclaredTotalsBuilder
{
    private JunitDeclaredTotals? _root;
    private JunitDeclaredTotals? _sum;

    public void FromRoot(XmlReader reader)
    {
        var totals = Read(reader);
        if (totals.Tests is not null) _root = totals;
    }

    public void FromTopLevelSuite(XmlReader reader)
    {
        var t = Read(reader);
        _sum = _sum is null ? t : new(Add(_sum.Tests, t.Tests), Add(_sum.Failures, t.Failures),
            Add(_sum.Errors, t.Errors), Add(_sum.Skipped, t.Skipped));
    }

    public JunitDeclaredTotals Build() => _root ?? _sum ?? new(null, null, null, null);

    private static JunitDeclaredTotals Read(XmlReader reader) => new(
        Count(reader.GetAttribute("tests")),
        Count(reader.GetAttribute("failures")),
        Count(reader.GetAttribute("errors")),
        // pytest-rerunfailures-style reports write skips=, googletest disabled=.
        Count(reader.GetAttribute("skipped") ?? reader.GetAttribute("skips") ?? reader.GetAttribute("disabled")));

    private static int? Count(string? value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : null;

    private static int? Add(int? a, int? b) => a is null ? b : b is null ? a : a + b;
}
