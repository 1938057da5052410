using System.Diagnostics;
using Seismo.Domain.Collect;
using Seismo.Tests.Support;

namespace Seismo.Tests.Collect;

/// <summary>
/// Archives made by GNU tar and the zstd CLI, exactly as the contract's shell example does. Where tar or zstd is
/// not installed these tests pass without checking anything (xunit 2 cannot skip at run time); CI has both.
/// </summary>
public sealed class RealTarArchiveTests : IDisposable
{
    private static readonly bool ToolsAvailable = Runs("tar", "--version") && Runs("zstd", "--version");

    private readonly string _work = Directory.CreateTempSubdirectory("seismo-tar-").FullName;
    private readonly string _obs;
    private readonly byte[] _junit;
    private readonly string _longName = new string('n', 130) + ".xml";

    public RealTarArchiveTests()
    {
        _obs = Directory.CreateDirectory(Path.Combine(_work, "obs")).FullName;
        Directory.CreateDirectory(Path.Combine(_obs, "attachment"));
        _junit = File.ReadAllBytes(SharedData.CorpusPath("junit", "jest", "dorny-jest-junit.xml"));
        File.WriteAllText(Path.Combine(_obs, "command.json"), ArchiveBuilder.ValidCommandJson);
        File.WriteAllText(Path.Combine(_obs, "output.txt"), "PASS src/app.test.js\n");
        File.WriteAllBytes(Path.Combine(_obs, "attachment", "junit.xml"), _junit);
        File.WriteAllText(Path.Combine(_obs, "attachment", _longName), "<testsuites/>");
    }

    [Theory]
    [InlineData("gnu")]
    [InlineData("pax")]
    [InlineData("ustar")]
    public async Task Archive_from_tar_zstd_C_dir_dot_is_read(string format)
    {
        if (!ToolsAvailable) return;
        // ustar cannot hold the 141-character name, so that format gets a shorter one.
        if (format == "ustar") File.Move(Path.Combine(_obs, "attachment", _longName), Path.Combine(_obs, "attachment", "short.xml"));
        var archive = Path.Combine(_work, "artifacts.tar.zst");
        Run("tar", $"--format={format}", "--zstd", "-cf", archive, "-C", _obs, ".");

        var visitor = new RecordingVisitor();
        await using var body = File.OpenRead(archive);
        var result = await new CollectArchiveReader().ReadAsync(body, visitor);

        Assert.Equal(ArchiveBuilder.ValidCommandJson, System.Text.Encoding.UTF8.GetString(result.CommandJson));
        Assert.Equal("PASS src/app.test.js\n", visitor.Output);
        Assert.Equal(_junit, visitor.Attachments.Single(a => a.Name == "junit.xml").Content);
        Assert.Contains(visitor.Attachments, a => a.Name == (format == "ustar" ? "short.xml" : _longName));
        Assert.Equal(0, result.Ignored.Count);
        Assert.Equal(6, result.EntryCount); // ./, ./attachment/ and four files
    }

    [Fact]
    public async Task Archive_compressed_separately_with_zstd_19_is_read()
    {
        if (!ToolsAvailable) return;
        var tar = Path.Combine(_work, "artifacts.tar");
        Run("tar", "-cf", tar, "-C", _obs, ".");
        Run("zstd", "-19", "-q", tar, "-o", tar + ".zst");

        await using var body = File.OpenRead(tar + ".zst");
        var result = await new CollectArchiveReader().ReadAsync(body);

        Assert.Equal(2, result.Attachments.Count);
    }

    [Fact]
    public async Task Symbolic_link_stored_by_tar_is_unsafe()
    {
        if (!ToolsAvailable) return;
        File.CreateSymbolicLink(Path.Combine(_obs, "attachment", "passwd.txt"), "/etc/passwd");
        var archive = Path.Combine(_work, "artifacts.tar.zst");
        Run("tar", "--zstd", "-cf", archive, "-C", _obs, ".");

        await using var body = File.OpenRead(archive);
        var error = await Assert.ThrowsAsync<CollectArchiveException>(() => new CollectArchiveReader().ReadAsync(body));

        Assert.Equal(CollectArchiveErrorKind.UnsafeEntry, error.Kind);
        Assert.Equal("./attachment/passwd.txt", error.EntryName);
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private static void Run(string tool, params string[] arguments)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(30_000), $"{tool} did not finish");
        Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', arguments)} failed: {stderr.Result}");
    }

    private static bool Runs(string tool, string argument)
    {
        try
        {
            Run(tool, argument);
            return true;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or Xunit.Sdk.XunitException)
        {
            return false;
        }
    }
}
