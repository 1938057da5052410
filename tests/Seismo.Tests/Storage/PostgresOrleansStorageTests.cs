using Seismo.Tests.Support;

namespace Seismo.Tests.Storage;

/// <summary>
/// One throwaway PostgreSQL server for every PostgreSQL test, with a database holding
/// our schema and one running silo on it. Does nothing when PostgreSQL is unavailable
/// (the tests are then skipped by <see cref="PostgresFactAttribute"/>).
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public const string ClusterId = "postgres-fixture";

    public PostgresServer Server { get; private set; } = null!;

    public StorageBackend Db { get; private set; } = null!;

    public TestSilo Silo { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (PostgresServer.UnavailableReason is not null) return;
        Server = await PostgresServer.StartAsync();
        Db = StorageBackend.Postgres(await Server.CreateDatabaseAsync("orleans"));
        await Db.ApplySchemaAsync();
        Silo = await TestSilo.StartAsync(Db, ClusterId);
    }

    public async Task DisposeAsync()
    {
        if (Silo is not null) await Silo.DisposeAsync();
        if (Server is not null) await Server.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "PostgreSQL";
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresOrleansStorageTests(PostgresFixture fixture)
{
    [PostgresFact]
    public Task Grain_state_round_trips_through_deactivation_and_clear() =>
        AdoNetChecks.StateRoundTripsThroughDeactivation(fixture.Silo, fixture.Db);

    [PostgresFact]
    public Task Grain_write_after_an_outside_write_throws_InconsistentStateException() =>
        AdoNetChecks.GrainSeesConflictingWriteFromElsewhere(fixture.Silo, fixture.Db);

    [PostgresFact]
    public Task Racing_writers_get_version_conflicts() =>
        AdoNetChecks.RacingWritersGetVersionConflicts(fixture.Silo);

    [PostgresFact]
    public Task Clear_with_DeleteStateOnClear_removes_the_row() =>
        AdoNetChecks.ClearWithDeleteRemovesTheRow(fixture.Silo, fixture.Db);

    [PostgresFact]
    public Task Reminders_are_registered_listed_and_unregistered() =>
        AdoNetChecks.RemindersAreRegisteredListedAndUnregistered(fixture.Silo, fixture.Db);

    [PostgresFact]
    public Task Silo_is_an_active_member_and_clients_find_its_gateway() =>
        AdoNetChecks.SiloIsAnActiveMemberAndClientsFindItsGateway(fixture.Silo, fixture.Db, PostgresFixture.ClusterId);

    [PostgresFact]
    public Task Membership_table_honours_table_versions() =>
        AdoNetChecks.MembershipTableHonoursTableVersions(fixture.Silo, fixture.Db);

    [PostgresFact]
    public Task State_and_membership_survive_a_silo_restart() =>
        AdoNetChecks.StateAndMembershipSurviveASiloRestart(fixture.Db);
}
