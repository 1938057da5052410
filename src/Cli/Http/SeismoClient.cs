using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Seismo.Cli.Hosting;

namespace Seismo.Cli.Http;

/// <summary>
/// Seismo's HTTP API as the CLI uses it: bearer key, JSON reads, retries of transient answers through
/// <see cref="RetryPolicy"/>, and long-lived event streams.
/// </summary>
public sealed class SeismoClient : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromMinutes(5);

    private readonly HttpClient _http;
    private readonly CliConsole _console;

    public SeismoClient(SeismoSettings settings, CliConsole console, RetryPolicy retry)
    {
        Settings = settings;
        Retry = retry;
        _console = console;
        // Event streams stay open for as long as the command runs; ordinary requests get their own timeout.
        _http = new HttpClient { BaseAddress = settings.Url, Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", settings.Token);
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("seismo-cli", typeof(SeismoClient).Assembly.GetName().Version?.ToString(3)));
    }

    public SeismoSettings Settings { get; }

    public RetryPolicy Retry { get; }

    /// <summary>Relative to the base URL: "api/flakiness?x=1" (no leading slash, so a base path is kept).</summary>
    public static string Path(string path, params (string Name, string? Value)[] query)
    {
        var pairs = query.Where(q => q.Value is not null).Select(q => $"{q.Name}={Uri.EscapeDataString(q.Value!)}").ToList();
        return path.TrimStart('/') + (pairs.Count == 0 ? "" : "?" + string.Join('&', pairs));
    }

    public async Task<JsonElement> GetJsonAsync(string path, CancellationToken ct)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, path), "GET " + path, ct);
        return await ReadJsonAsync(response, ct);
    }

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode) throw await SeismoApiException.FromResponseAsync(response, ct);
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        using var json = await JsonDocument.ParseAsync(body, cancellationToken: ct);
        return json.RootElement.Clone();
    }

    /// <summary>
    /// Sends a request (made afresh for each attempt) until it gets an answer that is not transient. Returns that answer,
    /// success or not; throws <see cref="SeismoApiException"/> when the retries run out.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> create, string what, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(RequestTimeout);
            HttpResponseMessage? response = null;
            string problem;
            TimeSpan? retryAfter = null;
            try
            {
                response = await _http.SendAsync(create(), timeout.Token);
                if (!RetryPolicy.IsTransient(response.StatusCode)) return response;
                retryAfter = RetryPolicy.RetryAfter(response.Headers.RetryAfter, DateTimeOffset.UtcNow);
                problem = $"Seismo answered {(int)response.StatusCode} {Detail(await response.Content.ReadAsStringAsync(ct))}";
            }
            catch (HttpRequestException e)
            {
                problem = $"could not reach Seismo at {Settings.Url}: {e.Message}";
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                problem = $"Seismo did not answer within {RetryPolicy.Seconds(RequestTimeout)}";
            }
            response?.Dispose();

            var decision = Retry.Decide(attempt, retryAfter, Random.Shared.NextDouble());
            if (!decision.Retry)
            {
                throw new SeismoApiException(response?.StatusCode, $"{what}: {problem}; {decision.GiveUpReason}");
            }
            var source = retryAfter is null ? "" : " as Retry-After asks";
            _console.Warn($"{problem}; retrying in {decision.Wait.TotalSeconds:0.#} s{source} (attempt {attempt + 1} of {Retry.MaxAttempts})");
            await Task.Delay(decision.Wait, ct);
        }
    }

    private static string Detail(string body) => body.Length == 0 ? "" : "(" + SeismoApiException.Describe(body) + ")";

    /// <summary>Opens an event stream; the caller reads the body until it ends or <paramref name="ct"/> fires.</summary>
    public async Task<HttpResponseMessage> OpenStreamAsync(string path, string? lastEventId, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null) request.Headers.Add("Last-Event-ID", lastEventId);
        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (response.IsSuccessStatusCode) return response;
        using (response) throw await SeismoApiException.FromResponseAsync(response, ct);
    }

    /// <summary>A project named by id is used as is; a slug or name is looked up among the projects the key sees.</summary>
    public async Task<Guid?> ResolveProjectAsync(CancellationToken ct)
    {
        var project = Settings.Project;
        if (project is null) return null;
        if (Guid.TryParse(project, out var id)) return id;
        var list = await GetJsonAsync("api/projects", ct);
        foreach (var p in list.GetProperty("data").EnumerateArray())
        {
            if (string.Equals(p.GetProperty("slug").GetString(), project, StringComparison.OrdinalIgnoreCase)
                || string.Equals(p.GetProperty("name").GetString(), project, StringComparison.OrdinalIgnoreCase))
                return p.GetProperty("id").GetGuid();
        }
        throw new SeismoApiException(HttpStatusCode.NotFound, $"no project '{project}' is visible to this key (--project or SEISMO_PROJECT)");
    }

    public void Dispose() => _http.Dispose();
}
