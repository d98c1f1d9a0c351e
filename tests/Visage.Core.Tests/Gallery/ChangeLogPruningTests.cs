using Visage.Gallery;
using Visage.Gallery.Storage;

namespace Visage.Tests.Gallery;

/// <summary>
/// The change log replicas follow is pruned (<see cref="GalleryFollower"/>): under a simulated day of writes it stays
/// bounded, by what the live replicas have not read and, while a replica is away, by the retention window; a replica
/// away longer than the window reloads the gallery and ends equal to the store; one away less replays. The clock is
/// the test's own (a day passes in seconds); the stores are real.
/// </summary>
public abstract class ChangeLogPruningTests(GalleryBackend backend) : IDisposable
{
    private static readonly ChangeLogRetention Hour = new(TimeSpan.FromHours(1));

    private readonly Clock _clock = new();

    public void Dispose() => backend.Dispose();

    private FaceGallery Open() => FaceGallery.Open(backend.Location, Vectors.Model);

    private sealed class Clock : TimeProvider
    {
        private DateTime _now = new(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }

    /// <summary>The face ids an index holds (sorted): equal lists mean equal indexes here.</summary>
    private static List<long> FaceIds(FaceGallery g)
    {
        var ids = new List<long>();
        foreach (var person in g.ListPersons(0, 1000))
            ids.AddRange(g.ListFaces(person.Id).Select(f => f.Id).Where(g.Index.Contains));
        return [.. ids.Order()];
    }

    /// <summary>A writer and two replicas, A and B, each following the log with an hour's window.</summary>
    private sealed class TwoReplicas : IDisposable
    {
        public TwoReplicas(Func<FaceGallery> open, TimeProvider clock)
        {
            (Writer, A, B) = (open(), open(), open());
            (FollowA, FollowB) = (new GalleryFollower(A, Hour, clock), new GalleryFollower(B, Hour, clock));
        }

        public FaceGallery Writer { get; }
        public FaceGallery A { get; }
        public FaceGallery B { get; }
        public GalleryFollower FollowA { get; }
        public GalleryFollower FollowB { get; }

        public void Dispose()
        {
            FollowA.Dispose();
            FollowB.Dispose();
            foreach (var g in new[] { Writer, A, B }) g.Dispose();
        }
    }

    [Fact]
    public void UnderADayOfWrites_TheLogStaysBoundedByTheWindow_AndAReplicaAwayLonger_ReloadsAndConverges()
    {
        using var replicas = new TwoReplicas(Open, _clock);
        var (writer, a, b, followA, followB) = (replicas.Writer, replicas.A, replicas.B, replicas.FollowA, replicas.FollowB);
        var person = writer.CreatePerson("Ann").Id;
        var rng = new Random(2);
        var live = new Queue<long>();
        var step = TimeSpan.FromMinutes(2);
        const int writesPerStep = 2;
        long most = 0, writes = 0;

        void Step(bool bFollows)
        {
            for (var w = 0; w < writesPerStep; w++, writes++)
            {
                // Adds and removes in turn: the gallery stays small, the log sees every write.
                if (live.Count < 10) live.Enqueue(writer.Enroll(person, TempGallery.Sha($"p{writes}"), TempGallery.Face(Vectors.Random(rng))).Face.Id);
                else writer.DeleteFace(live.Dequeue());
            }
            _clock.Advance(step);
            followA.Synchronize();
            if (bFollows) followB.Synchronize();
            most = Math.Max(most, followA.LastPruning?.Remaining ?? 0);
        }

        // 12 hours with both replicas following: the log holds about what one heartbeat and one pruning leave.
        for (var i = 0; i < 12 * 30; i++) Step(bFollows: true);
        var bothFollowing = most;
        Assert.True(bothFollowing <= 4 * writesPerStep * (Hour.PruneInterval / step + 2), $"{bothFollowing} rows with both replicas following");

        // B goes away for 3 hours (longer than the window): the log grows to about an hour of writes, no more.
        most = 0;
        for (var i = 0; i < 3 * 30; i++) Step(bFollows: false);
        var hourOfWrites = writesPerStep * (Hour.Window / step);
        Assert.True(most <= hourOfWrites + writesPerStep * (Hour.PruneInterval / step + 2), $"{most} rows while B was away, an hour is {hourOfWrites} writes");
        Assert.True(most >= hourOfWrites / 2, $"{most} rows while B was away: pruned while B could still come back?");

        // B comes back: its changes were pruned, so it reloads, and ends equal to the store; A never had to.
        followB.Synchronize();
        Assert.Equal(1, b.Reloads);
        Assert.Equal(0, a.Reloads);
        using (var fresh = Open()) Assert.Equal(FaceIds(fresh), FaceIds(b));
        Assert.Equal(FaceIds(a), FaceIds(b));

        // The other half of the day with both following again: bounded as before.
        most = 0;
        for (var i = 0; i < 9 * 30; i++) Step(bFollows: true);
        Assert.True(most <= bothFollowing + writesPerStep * 2, $"{most} rows after B came back, {bothFollowing} before");
        Assert.Equal(1, b.Reloads);
    }

    [Fact]
    public void AReplicaAwayLessThanTheWindow_ReplaysWithoutReloading()
    {
        using var replicas = new TwoReplicas(Open, _clock);
        var (writer, a, b, followA, followB) = (replicas.Writer, replicas.A, replicas.B, replicas.FollowA, replicas.FollowB);
        var person = writer.CreatePerson("Ann").Id;
        for (var i = 0; i < 30; i++)
        {
            writer.Enroll(person, TempGallery.Sha($"p{i}"), TempGallery.Face(Vectors.At(i, 1)));
            _clock.Advance(TimeSpan.FromMinutes(1));
            followA.Synchronize(); // A prunes what both read; B, silent for 30 minutes, is still waited for
        }
        Assert.Equal(30, followB.Synchronize());
        Assert.Equal(0, b.Reloads);
        Assert.Equal(FaceIds(a), FaceIds(b));
    }

    [Fact]
    public void AStoppedReplica_IsForgotten_AndALateReaderOfAPrunedLog_GetsTheGap()
    {
        using var writer = Open();
        using var a = Open();
        var person = writer.CreatePerson("Ann").Id;
        using (var other = Open())
        using (new GalleryFollower(other, Hour, _clock)) { } // a replica that stopped cleanly: forgotten at once
        using var followA = new GalleryFollower(a, Hour, _clock);
        for (var i = 0; i < 5; i++) writer.Enroll(person, TempGallery.Sha($"p{i}"), TempGallery.Face(Vectors.At(i, 2)));
        followA.Synchronize();
        _clock.Advance(Hour.PruneInterval);
        followA.Synchronize();
        var pruned = followA.LastPruning!;
        Assert.Equal(0, pruned.Remaining); // A read everything, and nobody else is waited for
        Assert.True(pruned.PrunedThrough >= 5);
        var error = Assert.Throws<ChangeLogPrunedException>(() => writer.Store.ReadChanges(Vectors.Model, 0, 10));
        Assert.Equal(pruned.PrunedThrough, error.PrunedThrough);
        Assert.Equal(pruned.PrunedThrough, writer.Store.LatestChange()); // an empty log still says how far it went
        using var late = Open();
        Assert.Equal(0, late.Synchronize());
        Assert.Equal(0, late.Reloads); // a gallery loaded now starts where the log is
    }
}

public sealed class SqliteChangeLogPruningTests() : ChangeLogPruningTests(new SqliteBackend());

public sealed class PostgresChangeLogPruningTests() : ChangeLogPruningTests(new PostgresBackend());
