using Microsoft.Data.Sqlite;

namespace Seismo.Tests.Storage;

/// <summary>A temp SQLite file with our schema and one running silo on it.</summary>
public sealed class SqliteSiloFixture : IAsyncLifetime
{
    public const string ClusterId = "sqlite-fixture";

    private readonly string directory = Directory.CreateTempSubdirectory("seismo-sqlite-").FullName;

    public StorageBackend Db { get; private set; } = null!;

    public TestSilo Silo { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Db = StorageBackend.Sqlite($"Data Source={Path.Combine(directory, "orleans.db")}");
        await Db.ApplySchemaAsync();
        Silo = await TestSilo.StartAsync(Db, ClusterId);
    }

    public async Task DisposeAsync()
    {
        if (Silo is not null) await Silo.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }
}

public sealed class SqliteOrleansStorageTests(SqliteSiloFixture fixture) : IClassFixture<SqliteSiloFixture>
{
    [Fact]
    public Task Grain_state_round_trips_through_deactivation_and_clear() =>
        AdoNetChecks.StateRoundTripsThroughDeactivation(fixture.Silo, fixture.Db);

    [Fact]
    public Task Grain_write_after_an_outside_write_throws_InconsistentStateException() =>
        AdoNetChecks.GrainSeesConflictingWriteFromElsewhere(fixture.Silo, fixture.Db);

    [Fact]
    public Task Racing_writers_get_version_conflicts() =>
        AdoNetChecks.RacingWritersGetVersionConflicts(fixture.Silo);

    [Fact]
    public Task Clear_with_DeleteStateOnClear_removes_the_row() =>
        AdoNetChecks.ClearWithDeleteRemovesTheRow(fixture.Silo, fixture.Db);

    [Fact]
    public Task Reminders_are_registered_listed_and_unregistered() =>
        AdoNetChecks.RemindersAreRegisteredListedAndUnregistered(fixture.Silo, fixture.Db);

    [Fact]
    public Task Silo_is_an_active_member_and_clients_find_its_gateway() =>
        AdoNetChecks.SiloIsAnActiveMemberAndClientsFindItsGateway(fixture.Silo, fixture.Db, SqliteSiloFixture.ClusterId);

    [Fact]
    public Task Membership_table_honours_table_versions() =>
        AdoNetChecks.MembershipTableHonoursTableVersions(fixture.Silo, fixture.Db);

    [Fact]
    public Task State_and_membership_survive_a_silo_restart() =>
        AdoNetChecks.StateAndMembershipSurviveASiloRestart(fixture.Db);
}
