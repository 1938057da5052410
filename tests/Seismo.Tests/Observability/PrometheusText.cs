using System.Globalization;

namespace Seismo.Tests.Observability;

/// <summary>A scrape in Prometheus' text format: series (name and labels) to value, as a scraper reads it.</summary>
public sealed class PrometheusText
{
    private readonly List<(string Name, string Labels, double Value)> _series = [];

    public PrometheusText(string text)
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var brace = line.IndexOf('{');
            var space = line.IndexOf(' ');
            string name, labels, rest;
            if (brace >= 0 && (space < 0 || brace < space))
            {
                var close = line.LastIndexOf('}');
                (name, labels, rest) = (line[..brace], line[(brace + 1)..close], line[(close + 1)..].Trim());
            }
            else (name, labels, rest) = (line[..space], "", line[(space + 1)..].Trim());
            _series.Add((name, labels, double.Parse(rest.Split(' ')[0], CultureInfo.InvariantCulture)));
        }
    }

    public string Text => string.Join("\n", _series.Select(s => $"{s.Name}{{{s.Labels}}} {s.Value}"));

    public bool Has(string name) => _series.Any(s => s.Name == name);

    /// <summary>The sum of the series of <paramref name="name"/> carrying every given label (<c>key="value"</c>); 0 when none.</summary>
    public double Value(string name, params string[] labels) =>
        _series.Where(s => s.Name == name && labels.All(l => s.Labels.Contains(l, StringComparison.Ordinal))).Sum(s => s.Value);

    public static async Task<PrometheusText> ScrapeAsync(HttpClient http, string path = "/metrics")
    {
        using var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {body}");
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType ?? "");
        return new PrometheusText(body);
    }
}
