using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.MembershipService;
using Orleans.Storage;

namespace Seismo.Tests.Storage;

/// <summary>
/// Checks shared by the SQLite and PostgreSQL test classes. Each runs against a real
/// silo whose clustering, grain storage and reminders all go through our schema.
/// </summary>
public static class AdoNetChecks
{
    private const string GrainType = "probe";

    public static async Task StateRoundTripsThroughDeactivation(TestSilo silo, StorageBackend db)
    {
        var key = $"roundtrip-{Guid.NewGuid():N}";
        var grain = silo.Grains.GetGrain<IProbeGrain>(key);

        Assert.Equal(new ProbeSnapshot("", 0, null, false), await grain.Read());

        await grain.Write("first");
        await grain.Write("second");
        var firstActivation = await grain.ActivationId();
        await grain.Deactivate();
        Assert.NotEqual(firstActivation, await grain.ActivationId()); // so the next read comes from the database
        Assert.Equal(new ProbeSnapshot("second", 2, "2", true), await grain.Read());
        Assert.Equal(new object[] { 2L, true }, await StoredRowAsync(db, key));

        await grain.Clear();
        Assert.Equal(new ProbeSnapshot("", 0, "3", false), await grain.Read());
        await grain.Deactivate();
        Assert.Equal(new ProbeSnapshot("", 0, "3", false), await grain.Read());
        Assert.Equal(new object[] { 3L, false }, await StoredRowAsync(db, key));

        await grain.Write("after clear");
        await grain.Deactivate();
        Assert.Equal(new ProbeSnapshot("after clear", 1, "4", true), await grain.Read());
    }

    public static async Task GrainSeesConflictingWriteFromElsewhere(TestSilo silo, StorageBackend db)
    {
        var key = $"conflict-{Guid.NewGuid():N}";
        var grain = silo.Grains.GetGrain<IProbeGrain>(key);
        await grain.Write("mine");

        // Another writer (say, a second silo that briefly held the grain) moves the version on.
        await db.QueryAsync("UPDATE OrleansStorage SET Version = Version + 1 WHERE GrainIdExtensionString = @key", ("key", key));

        await Assert.ThrowsAsync<InconsistentStateException>(() => grain.Write("stale"));
    }

    public static async Task RacingWritersGetVersionConflicts(TestSilo silo)
    {
        var storage = silo.Services.GetRequiredKeyedService<IGrainStorage>("Default");
        var grainId = GrainId.Create(GrainType, $"race-{Guid.NewGuid():N}");

        async Task<GrainState<ProbeState>> Load()
        {
            var state = new GrainState<ProbeState>(new ProbeState());
            await storage.ReadStateAsync(GrainType, grainId, state);
            return state;
        }
        Task Write(GrainState<ProbeState> state, string value)
        {
            state.State!.Value = value;
            return storage.WriteStateAsync(GrainType, grainId, state);
        }

        // Both start from "no row": the first insert wins, the second must not overwrite it.
        var a = await Load();
        var b = await Load();
        Assert.Null(b.ETag);
        await Write(a, "a1");
        Assert.Equal("1", a.ETag);
        await Assert.ThrowsAsync<InconsistentStateException>(() => Write(b, "b1"));

        // Both hold version 1: again only the first update lands.
        b = await Load();
        await Write(a, "a2");
        await Assert.ThrowsAsync<InconsistentStateException>(() => Write(b, "b2"));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(GrainType, grainId, b));
        Assert.Equal("a2", (await Load()).State!.Value);

        // Many writers at once holding the same version: exactly one succeeds.
        var racers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Load()));
        var outcomes = await Task.WhenAll(racers.Select(async (state, i) =>
        {
            try { await Write(state, $"racer{i}"); return "ok"; }
            catch (InconsistentStateException) { return "conflict"; }
        }));
        Assert.Single(outcomes, o => o == "ok");
        Assert.Equal(5, outcomes.Count(o => o == "conflict"));
        Assert.Equal("3", (await Load()).ETag);
    }

    public static async Task ClearWithDeleteRemovesTheRow(TestSilo silo, StorageBackend db)
    {
        var storage = silo.Services.GetRequiredKeyedService<IGrainStorage>(TestSilo.DeletingStorage);
        var key = $"delete-{Guid.NewGuid():N}";
        var grainId = GrainId.Create(GrainType, key);
        var state = new GrainState<ProbeState>(new ProbeState { Value = "x" });

        await storage.WriteStateAsync(GrainType, grainId, state);
        await storage.WriteStateAsync(GrainType, grainId, state);
        var stale = new GrainState<ProbeState>(new ProbeState()) { ETag = "1", RecordExists = true };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(GrainType, grainId, stale));

        await storage.ClearStateAsync(GrainType, grainId, state);
        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
        Assert.Equal(0, await db.CountAsync("SELECT count(*) FROM OrleansStorage WHERE GrainIdExtensionString = @key", ("key", key)));

        await storage.WriteStateAsync(GrainType, grainId, state);
        Assert.Equal("1", state.ETag);
    }

    public static async Task RemindersAreRegisteredListedAndUnregistered(TestSilo silo, StorageBackend db)
    {
        var key = $"reminders-{Guid.NewGuid():N}";
        var grain = silo.Grains.GetGrain<IProbeGrain>(key);
        var grainId = grain.GetGrainId();
        Task<long> StoredCount() => db.CountAsync(
            "SELECT count(*) FROM OrleansReminders WHERE ServiceId = @service AND GrainId = @grain",
            ("service", db.ServiceId), ("grain", grainId.ToString()));

        await grain.RegisterReminder("nightly");
        await grain.RegisterReminder("hourly");
        await grain.RegisterReminder("hourly"); // update in place, bumps its version
        Assert.Equal(new[] { "hourly", "nightly" }, await grain.ListReminders());
        Assert.Equal(2, await StoredCount());

        // Both hash-range queries: (h-1, h] holds the grain, the wrapped (h, h-1] does not.
        var table = silo.Services.GetRequiredService<IReminderTable>();
        var hash = grainId.GetUniformHashCode();
        Assert.Equal(2, (await table.ReadRows(hash - 1, hash)).Reminders.Count(r => r.GrainId == grainId));
        Assert.DoesNotContain((await table.ReadRows(hash, hash - 1)).Reminders, r => r.GrainId == grainId);

        await grain.CancelReminder("hourly");
        Assert.Equal(new[] { "nightly" }, await grain.ListReminders());
        await grain.CancelReminder("nightly");
        Assert.Empty(await grain.ListReminders());
        Assert.Equal(0, await StoredCount());
    }

    public static async Task SiloIsAnActiveMemberAndClientsFindItsGateway(TestSilo silo, StorageBackend db, string clusterId)
    {
        var table = silo.Services.GetRequiredService<IMembershipTable>();
        var members = (await table.ReadAllAsync(CancellationToken.None)).Members;
        var (me, _) = Assert.Single(members);
        Assert.Equal(SiloStatus.Active, me.Status);
        Assert.Equal(1, await db.CountAsync(
            "SELECT count(*) FROM OrleansMembership WHERE DeploymentId = @cluster AND Status = 3", ("cluster", clusterId)));

        await using var client = await TestClient.ConnectAsync(db, clusterId);
        var grain = client.Grains.GetGrain<IProbeGrain>($"via-client-{Guid.NewGuid():N}");
        await grain.Write("hello");
        Assert.Equal("hello", (await grain.Read()).Value);
    }

    /// <summary>The extended membership protocol: every row change must match and bump the table version.</summary>
    public static async Task MembershipTableHonoursTableVersions(TestSilo silo, StorageBackend db)
    {
        var ct = CancellationToken.None;
        var clusterId = $"protocol-{Guid.NewGuid():N}";
        var table = ActivatorUtilities.CreateInstance<AdoNetClusteringTable>(silo.Services,
            Options.Create(new ClusterOptions { ClusterId = clusterId, ServiceId = db.ServiceId }),
            Options.Create(new AdoNetClusteringSiloOptions { Invariant = db.Invariant, ConnectionString = db.ConnectionString }));
        await table.InitializeMembershipTableAsync(true, ct);
        await table.InitializeMembershipTableAsync(true, ct); // the version row already exists

        var now = new DateTime(DateTime.UtcNow.Ticks / TimeSpan.TicksPerMillisecond * TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
        var a = Member(11_000, now);
        var v0 = (await table.ReadAllAsync(ct)).Version;
        Assert.Equal(0, v0.Version);
        Assert.True(await table.InsertRowAsync(a, v0.Next(), ct));
        Assert.False(await table.InsertRowAsync(Member(12_000, now), v0.Next(), ct)); // stale version
        var v1 = (await table.ReadAllAsync(ct)).Version;
        Assert.Equal(1, v1.Version);
        Assert.False(await table.InsertRowAsync(a, v1.Next(), ct)); // same silo twice
        var (_, rowETag) = Assert.Single((await table.ReadAllAsync(ct)).Members);
        Assert.Equal(1, (await table.ReadAllAsync(ct)).Version.Version); // and the failed insert left the version alone

        a.Status = SiloStatus.Active;
        a.SuspectTimes = [Tuple.Create(Member(13_000, now).SiloAddress, now.AddSeconds(-5))];
        Assert.True(await table.UpdateRowAsync(a, rowETag, v1.Next(), ct));
        Assert.False(await table.UpdateRowAsync(a, rowETag, v1.Next(), ct)); // stale version
        var v2 = (await table.ReadAllAsync(ct)).Version;
        Assert.False(await table.UpdateRowAsync(Member(14_000, now), v2.VersionEtag, v2.Next(), ct)); // no such silo
        var all = await table.ReadAllAsync(ct);
        Assert.Equal(2, all.Version.Version);
        var (stored, _) = Assert.Single(all.Members);
        Assert.Equal((a.SiloAddress, a.SiloName, a.HostName, a.ProxyPort, SiloStatus.Active, now, now),
            (stored.SiloAddress, stored.SiloName, stored.HostName, stored.ProxyPort, stored.Status, stored.StartTime, stored.IAmAliveTime));
        Assert.Equal(a.SuspectTimes, stored.SuspectTimes);

        a.IAmAliveTime = now.AddMinutes(1);
        await table.UpdateIAmAliveAsync(a, ct);
        var row = await table.ReadRowAsync(a.SiloAddress, ct);
        Assert.Equal(2, row.Version.Version); // heartbeats do not move the version
        Assert.Equal(now.AddMinutes(1), Assert.Single(row.Members).Item1.IAmAliveTime);
        var absent = await table.ReadRowAsync(Member(15_000, now).SiloAddress, ct);
        Assert.Empty(absent.Members);
        Assert.Equal(2, absent.Version.Version);

        await table.DeleteMembershipTableEntriesAsync(clusterId, ct);
        Assert.Equal(0, await db.CountAsync(
            "SELECT count(*) FROM OrleansMembershipVersion WHERE DeploymentId = @cluster", ("cluster", clusterId)));
    }

    private static MembershipEntry Member(int port, DateTime now) => new()
    {
        SiloAddress = SiloAddress.New(IPAddress.Loopback, port, 7),
        SiloName = $"silo-{port}",
        HostName = "test-host",
        Status = SiloStatus.Joining,
        ProxyPort = port + 1,
        StartTime = now,
        IAmAliveTime = now,
    };

    public static async Task StateAndMembershipSurviveASiloRestart(StorageBackend db)
    {
        var clusterId = $"restart-{Guid.NewGuid():N}";
        var key = $"restart-{Guid.NewGuid():N}";

        await using (var first = await TestSilo.StartAsync(db, clusterId))
        {
            await first.Grains.GetGrain<IProbeGrain>(key).Write("before restart");
        }
        Assert.Equal(1, await db.CountAsync(
            "SELECT count(*) FROM OrleansMembership WHERE DeploymentId = @cluster AND Status = 6", ("cluster", clusterId)));

        await using var second = await TestSilo.StartAsync(db, clusterId);
        Assert.Equal("before restart", (await second.Grains.GetGrain<IProbeGrain>(key).Read()).Value);

        var table = second.Services.GetRequiredService<IMembershipTable>();
        Assert.Equal(2, (await table.ReadAllAsync(CancellationToken.None)).Members.Count);
        await table.CleanupDefunctSiloEntriesAsync(DateTimeOffset.UtcNow.AddSeconds(1), CancellationToken.None);
        var (survivor, _) = Assert.Single((await table.ReadAllAsync(CancellationToken.None)).Members);
        Assert.Equal(SiloStatus.Active, survivor.Status);

        await second.StopAsync();
        await table.DeleteMembershipTableEntriesAsync(clusterId, CancellationToken.None);
        Assert.Equal(0, await db.CountAsync(
            "SELECT count(*) FROM OrleansMembershipVersion WHERE DeploymentId = @cluster", ("cluster", clusterId)));
    }

    /// <summary>Version and whether a payload is present, for the row of a string-keyed grain.</summary>
    private static async Task<object[]> StoredRowAsync(StorageBackend db, string key)
    {
        var row = Assert.Single(await db.QueryAsync(
            "SELECT Version, PayloadBinary FROM OrleansStorage WHERE GrainIdExtensionString = @key", ("key", key)));
        return [Convert.ToInt64(row[0]), row[1] is not null];
    }
}
