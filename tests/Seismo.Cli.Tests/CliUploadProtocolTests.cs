using System.IO.Compression;
using Seismo.Cli.Hosting;
using Seismo.Cli.Tests.Support;
using Seismo.Cli.Upload;

namespace Seismo.Cli.Tests;

/// <summary>
/// The CLI's side of the agreed upload API, against <see cref="UploadApiStandIn"/> until Seismo's upload API is merged
/// (then <see cref="CliUploadTests"/> runs the same paths against Seismo itself): what arrives is the zip, byte for byte;
/// a resumed upload sends only the missing chunks; every server phase is shown.
/// </summary>
public sealed class CliUploadProtocolTests
{
    [Fact]
    public async Task A_folder_is_zipped_and_sent_in_one_request_then_followed_to_done()
    {
        await using var api = await UploadApiStandIn.StartAsync();
        var cli = new CliRunner(api.Url, "key");
        var results = Directory.CreateDirectory(cli.PathOf("allure-results")).FullName;
        await File.WriteAllTextAsync(Path.Combine(results, "a-result.json"), "{\"name\":\"a\"}");
        await File.WriteAllTextAsync(Path.Combine(results, "b-result.json"), "{\"name\":\"b\"}");

        Assert.Equal(0, await cli.RunAsync("upload", "allure-results", "--env", "e", "--project", "web", "--build", "7"));

        var zip = Assert.Single(api.Assembled.Values);
        using var archive = new ZipArchive(new MemoryStream(zip));
        Assert.Equal(["a-result.json", "b-result.json"], archive.Entries.Select(e => e.FullName));
        Assert.Contains("Uploading allure-results.zip", cli.Out.Text);
        Assert.Contains("bytes, one request)", cli.Out.Text);
        Assert.Contains("server: done (2 files, 1 tests, report ready)", cli.Out.Text);
        Assert.Contains("report ready: " + api.Url, cli.Out.Text);

        // On a terminal the same upload draws progress bars instead of lines.
        var terminal = new CliRunner(api.Url, "key", terminal: true);
        Directory.CreateDirectory(terminal.PathOf("allure-results"));
        await File.WriteAllTextAsync(terminal.PathOf("allure-results/c-result.json"), "{\"name\":\"c\"}");
        Assert.Equal(0, await terminal.RunAsync("upload", "allure-results", "--env", "e", "--project", "web", "--build", "8"));
        Assert.DoesNotContain("  sent ", terminal.Out.Text);
        Assert.Contains("done: 2 files, 1 tests", terminal.Out.Text);
    }

    [Fact]
    public async Task A_large_zip_goes_in_chunks_and_a_resumed_upload_sends_only_what_is_missing()
    {
        await using var api = await UploadApiStandIn.StartAsync();
        var cli = new CliRunner(api.Url, "key");
        cli.Environment["SEISMO_STATE_DIR"] = cli.PathOf("state");
        var zipPath = cli.PathOf("big.zip");
        var noise = new byte[2_500_000];
        new Random(3).NextBytes(noise);
        using (var archive = new ZipArchive(File.Create(zipPath), ZipArchiveMode.Create))
        await using (var entry = archive.CreateEntry("blob.bin", CompressionLevel.NoCompression).Open())
            await entry.WriteAsync(noise);
        var bytes = await File.ReadAllBytesAsync(zipPath);
        const int chunk = 1024 * 1024;

        // An earlier run got chunk 1 of 3 across before it was interrupted.
        var earlier = api.Open(bytes.Length, 3);
        earlier.Chunks[1] = bytes[chunk..(2 * chunk)];
        ResumeState.For(new CliHost(cli.Out, cli.Error, cli.Environment, false, cli.WorkingDirectory), zipPath, "e", "web", "9").Save(earlier.Id);

        Assert.Equal(0, await cli.RunAsync("upload", "big.zip", "--env", "e", "--project", "web", "--build", "9",
            "--chunk-size", "1", "--chunked-above", "0"));

        Assert.Contains($"Resuming upload {earlier.Id}: 1 of 3 chunks are already there", cli.Out.Text);
        Assert.Equal([0, 2], api.ChunksPut.Order());
        Assert.Equal(bytes, api.Assembled[earlier.Id]);
        var text = cli.Out.Text;
        var phases = new[] { "(100%)", "server: assembling", "server: generating", "server: done" }.Select(p => text.IndexOf(p, StringComparison.Ordinal)).ToList();
        Assert.All(phases, i => Assert.True(i >= 0, text));
        Assert.Equal(phases.Order(), phases);
        Assert.False(Directory.EnumerateFiles(cli.PathOf("state"), "*", SearchOption.AllDirectories).Any(), "the resume state is cleared once complete");

        // A fresh upload of another file starts a new session with every chunk.
        var again = new CliRunner(api.Url, "key");
        again.Environment["SEISMO_STATE_DIR"] = again.PathOf("state");
        File.Copy(zipPath, again.PathOf("big.zip"));
        Assert.Equal(0, await again.RunAsync("upload", "big.zip", "--env", "e", "--project", "web", "--build", "10", "--chunk-size", "1", "--chunked-above", "0"));
        Assert.Equal([0, 0, 1, 2, 2], api.ChunksPut.Order());
    }
}
