using System.Text;
using Seismo.Domain.Collect;

namespace Seismo.Tests.Collect;

public sealed class CommandJsonValidatorTests
{
    private const string ContractExample = """
        {
          "command": ["pytest", "--junitxml=test-results/junit.xml", "tests/"],
          "user": "github-ci",
          "return_code": 0,
          "execution_time_ms": 4312,
          "executed": "2026-04-15T09:23:41.000Z",
          "env": { "CI": "true", "GITHUB_REF": "refs/heads/main" },
          "tags": ["ci", "unit"]
        }
        """;

    [Fact]
    public void Contract_example_is_valid()
    {
        var document = Valid(ContractExample);

        Assert.Equal(["pytest", "--junitxml=test-results/junit.xml", "tests/"], document.Command);
        Assert.Equal(("github-ci", 0, 4312L), (document.User, document.ReturnCode, document.ExecutionTimeMs));
        Assert.Equal(new DateTimeOffset(2026, 4, 15, 9, 23, 41, TimeSpan.Zero), document.Executed);
        Assert.Equal("refs/heads/main", document.Env["GITHUB_REF"]);
        Assert.Equal(["ci", "unit"], document.Tags);
    }

    [Fact]
    public void Optional_fields_may_be_absent_or_null_and_unknown_fields_are_ignored()
    {
        var document = Valid("""{"command":["make"],"user":"local-dev","return_code":2,"execution_time_ms":0,"env":null,"future":{"x":1}}""");

        Assert.Null(document.Executed);
        Assert.Empty(document.Env);
        Assert.Empty(document.Tags);
    }

    [Fact]
    public void Utf8_bom_is_tolerated() =>
        Assert.Equal("github-ci", Valid("\uFEFF" + ContractExample).User);

    [Theory]
    [InlineData("command")]
    [InlineData("user")]
    [InlineData("return_code")]
    [InlineData("execution_time_ms")]
    public void Each_missing_required_field_is_named(string field)
    {
        var result = Validate(Without(field));

        Assert.Equal(CommandJsonFailure.MissingFields, result.Failure);
        Assert.Equal([field], result.MissingFields);
        Assert.Contains($"'{field}'", result.Message);
    }

    [Fact]
    public void All_missing_fields_are_listed_together_and_null_counts_as_missing()
    {
        var result = Validate("""{"user": null, "tags": ["x"]}""");

        Assert.Equal(CommandJsonFailure.MissingFields, result.Failure);
        Assert.Equal(["command", "user", "return_code", "execution_time_ms"], result.MissingFields);
        Assert.Equal("command.json is missing the required fields 'command', 'user', 'return_code', 'execution_time_ms'.", result.Message);
    }

    [Theory]
    [InlineData("command", "\"pytest -q\"", "'command' must be an array of strings, not a string")]
    [InlineData("command", "[]", "'command' must contain at least one string")]
    [InlineData("command", "[\"pytest\", 3]", "'command[1]' must be a string, not a number")]
    [InlineData("user", "42", "'user' must be a string, not a number")]
    [InlineData("return_code", "\"0\"", "'return_code' must be an integer, not a string")]
    [InlineData("return_code", "1.5", "'return_code' must be a whole number")]
    [InlineData("return_code", "4294967296", "'return_code' must be between")]
    [InlineData("execution_time_ms", "-1", "'execution_time_ms' must be between 0 and")]
    [InlineData("execution_time_ms", "true", "'execution_time_ms' must be an integer, not a boolean")]
    [InlineData("executed", "\"yesterday\"", "'executed' must be an ISO 8601 date-time")]
    [InlineData("executed", "\"2026-13-01T00:00:00Z\"", "'executed' must be an ISO 8601 date-time")]
    [InlineData("executed", "1713173021", "'executed' must be a string, not a number")]
    [InlineData("env", "[\"CI=true\"]", "'env' must be an object of strings, not an array")]
    [InlineData("env", "{\"NESTED\": {\"a\": 1}}", "'env.NESTED' must be a string, number or boolean, not an object")]
    [InlineData("tags", "\"ci\"", "'tags' must be an array of strings, not a string")]
    [InlineData("tags", "[null]", "'tags[0]' must be a string, not null")]
    public void Wrong_types_and_values_are_malformed_and_name_the_field(string field, string json, string expected)
    {
        var result = Validate(With(field, json));

        Assert.Equal(CommandJsonFailure.Malformed, result.Failure);
        Assert.Contains(expected, result.Message);
    }

    [Fact]
    public void Malformed_wins_over_missing_but_both_are_reported()
    {
        var result = Validate("""{"command": "make"}""");

        Assert.Equal(CommandJsonFailure.Malformed, result.Failure);
        Assert.Equal(["user", "return_code", "execution_time_ms"], result.MissingFields);
        Assert.Contains(result.Problems, p => p is { Field: "command", Kind: CommandJsonProblemKind.Malformed });
    }

    [Theory]
    [InlineData("", "not valid JSON")]
    [InlineData("{\"command\": [\"a\",]}", "not valid JSON (line 1")]
    [InlineData("{'command': 1}", "not valid JSON")]
    [InlineData("{\"user\": \"a\", \"user\": \"b\"}", "Duplicate property 'user'")]
    [InlineData("[1, 2]", "must be a JSON object, not an array")]
    [InlineData("\"text\"", "must be a JSON object, not a string")]
    [InlineData("null", "must be a JSON object, not null")]
    [InlineData("{\"user\": \"\\uD800\"}", "invalid \\u escape")]
    public void Not_json_or_not_an_object_is_malformed(string json, string expected)
    {
        var result = Validate(json);

        Assert.Equal(CommandJsonFailure.Malformed, result.Failure);
        Assert.Contains(expected, result.Message);
    }

    [Fact]
    public void Nesting_deeper_than_32_is_malformed()
    {
        var deep = new string('[', 40) + new string(']', 40);
        var result = Validate(With("tags", deep));

        Assert.Equal(CommandJsonFailure.Malformed, result.Failure);
        Assert.Contains("depth of 32", result.Message);
    }

    [Fact]
    public void Invalid_utf8_is_malformed_with_its_byte_position()
    {
        byte[] bytes = [.. "{\"user\": \""u8, 0xC3, 0x28, .. "\"}"u8];
        var result = CommandJsonValidator.Validate(bytes);

        Assert.Equal(CommandJsonFailure.Malformed, result.Failure);
        Assert.Contains("not valid UTF-8 (byte 11)", result.Message);
    }

    [Fact]
    public void Utf16_is_malformed_with_a_hint()
    {
        var result = CommandJsonValidator.Validate(Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(ContractExample)).ToArray());

        Assert.Contains("UTF-16", result.Message);
    }

    [Fact]
    public void Windows_ntstatus_exit_code_written_unsigned_becomes_the_signed_int()
    {
        Assert.Equal(-1073741819, Valid(With("return_code", "3221225477")).ReturnCode);
        Assert.Equal(int.MinValue, Valid(With("return_code", "-2147483648")).ReturnCode);
    }

    [Fact]
    public void Whole_numbers_written_with_a_fraction_or_exponent_are_accepted() =>
        Assert.Equal(4312L, Valid(With("execution_time_ms", "4.312e3")).ExecutionTimeMs);

    [Theory]
    [InlineData("2026-04-15T09:23:41Z", "2026-04-15T09:23:41.0000000+00:00")]
    [InlineData("2026-04-15T09:23:41", "2026-04-15T09:23:41.0000000+00:00")] // no offset: taken as UTC
    [InlineData("2026-04-15T11:23:41+02:00", "2026-04-15T11:23:41.0000000+02:00")]
    [InlineData("2026-04-15T09:23:41.123456789Z", "2026-04-15T09:23:41.1234567+00:00")] // Go writes nanoseconds
    [InlineData("2026-04-15", "2026-04-15T00:00:00.0000000+00:00")]
    public void Executed_accepts_common_iso_8601_forms(string text, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            Valid(With("executed", $"\"{text}\"")).Executed);

    [Fact]
    public void Env_numbers_and_booleans_are_kept_as_text_and_nulls_dropped()
    {
        var env = Valid(With("env", """{"A": "x", "B": 12.50, "C": true, "D": null}""")).Env;

        Assert.Equal(new Dictionary<string, string> { ["A"] = "x", ["B"] = "12.50", ["C"] = "true" }, env);
    }

    private static CommandJsonResult Validate(string json) => CommandJsonValidator.Validate(Encoding.UTF8.GetBytes(json));

    private static CommandDocument Valid(string json)
    {
        var result = Validate(json);
        Assert.True(result.IsValid, result.Message);
        Assert.Equal(CommandJsonFailure.None, result.Failure);
        return result.Document!;
    }

    private static string Without(string field) => With(field, null);

    /// <summary>The contract example with one field replaced (or removed when <paramref name="json"/> is null).</summary>
    private static string With(string field, string? json)
    {
        var fields = new Dictionary<string, string>
        {
            ["command"] = """["pytest"]""", ["user"] = "\"ci\"", ["return_code"] = "0", ["execution_time_ms"] = "1",
        };
        if (json is null) fields.Remove(field);
        else fields[field] = json;
        return "{" + string.Join(",", fields.Select(f => $"\"{f.Key}\": {f.Value}")) + "}";
    }
}
