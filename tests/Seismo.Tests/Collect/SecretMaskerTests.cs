using Seismo.Domain.Collect;

namespace Seismo.Tests.Collect;

public sealed class SecretMaskerTests
{
    [Theory]
    [InlineData("GITHUB_TOKEN")]
    [InlineData("npm_token")]
    [InlineData("AWS_SECRET_ACCESS_KEY")]
    [InlineData("DB_PASSWORD")]
    [InlineData("SMTP_PASSWD")]
    [InlineData("MYSQL_PWD")]
    [InlineData("STRIPE_API_KEY")]
    [InlineData("MAPS_APIKEY")]
    [InlineData("AWS_ACCESS_KEY_ID")]
    [InlineData("SSH_PRIVATE_KEY")]
    [InlineData("GOOGLE_APPLICATION_CREDENTIALS")]
    [InlineData("NPM_AUTH")]
    [InlineData("HTTP_AUTHORIZATION")]
    [InlineData("SESSION_ID")]
    [InlineData("COOKIE_JAR")]
    [InlineData("WEBHOOK_SIGNATURE")]
    [InlineData("DATABASE_CONNECTION_STRING")]
    [InlineData("SENTRY_DSN")]
    [InlineData("SIGNING_KEY")]
    public void Keys_that_name_secrets_are_masked(string key) =>
        Assert.Equal(SecretMasker.Redacted, SecretMasker.Mask(new Dictionary<string, string> { [key] = "plain-value" })[key]);

    [Theory]
    [InlineData("PWD", "/home/runner/work/app")]
    [InlineData("OLDPWD", "/home/runner")]
    [InlineData("GIT_AUTHOR_NAME", "Jo")]
    [InlineData("CI", "true")]
    [InlineData("GITHUB_REF", "refs/heads/main")]
    [InlineData("MONKEY_COUNT", "3")]
    [InlineData("REPO_URL", "https://github.com/acme/app.git")]
    [InlineData("GITHUB_TOKEN", "")] // nothing to hide
    public void Ordinary_variables_are_kept(string key, string value) =>
        Assert.Equal(value, SecretMasker.Mask(new Dictionary<string, string> { [key] = value })[key]);

    [Theory]
    [InlineData("ghp_16C7e42F292c6912E7710c838347Ae178B4a")]
    [InlineData("github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz")]
    [InlineData("glpat-xxxxxxxxxxxxxxxxxxxx")]
    [InlineData("xoxb-123456789012-abcdefghijkl")]
    [InlineData("AKIAIOSFODNN7EXAMPLE")]
    [InlineData("Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig")]
    [InlineData("postgres://app:s3cret@db.internal:5432/app")]
    [InlineData("redis://:s3cret@cache:6379")]
    [InlineData("-----BEGIN OPENSSH PRIVATE KEY-----\nabc")]
    public void Values_that_look_like_credentials_are_masked_under_any_key(string value) =>
        Assert.Equal(SecretMasker.Redacted, SecretMasker.Mask(new Dictionary<string, string> { ["SOME_SETTING"] = value })["SOME_SETTING"]);

    [Fact]
    public void Mask_returns_a_new_dictionary_and_leaves_the_input_alone()
    {
        var env = new Dictionary<string, string> { ["API_TOKEN"] = "t", ["HOME"] = "/root" };

        var masked = SecretMasker.Mask(env);

        Assert.Equal("t", env["API_TOKEN"]);
        Assert.Equal(new Dictionary<string, string> { ["API_TOKEN"] = "***", ["HOME"] = "/root" }, masked);
    }

    [Fact]
    public void Long_values_are_checked_in_linear_time()
    {
        var value = "x://" + new string('a', 1_000_000) + ":" + new string('b', 1_000_000);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        Assert.False(SecretMasker.IsSecret("LONG", value));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public void Rules_are_listed_for_documentation() =>
        Assert.Contains(SecretMasker.Rules, r => r.Target.StartsWith("value: GitHub", StringComparison.Ordinal));
}
