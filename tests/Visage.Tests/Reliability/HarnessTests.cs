using Visage.Reliability;
using Xunit.Abstractions;

namespace Visage.Cli.Tests.Reliability;

/// <summary>
/// Short runs of the reliability harnesses (tests/Visage.Reliability; docs/RELIABILITY.md has the long runs and their
/// figures): real <c>visage serve</c> processes, real SQLite files and PostgreSQL servers of their own, real HTTP.
/// One after another, so their timings do not disturb each other.
/// </summary>
[Collection(Name)]
public sealed class HarnessTests(ITestOutputHelper output)
{
    public const string Name = "harnesses";

    private TextWriter Progress => new OutputWriter(output);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Crash_EveryAcknowledgedEnrollment_SurvivesSigkill(string backend)
    {
        var report = await CrashHarness.RunAsync(new CrashOptions(backend, Rounds: 3, Clients: 4, Seed: 7), Progress);
        Assert.True(report.Passed, string.Join("\n", report.Problems) + $"\nacknowledged: {report.Acknowledged}");
        Assert.Equal(0, report.Lost);
    }

    [Fact]
    public async Task Outage_DatabaseRequestsGet503_RecognitionGoesOn_NothingLeaks_RecoveryWithoutRestart()
    {
        var report = await OutageHarness.RunAsync(new OutageOptions(Rounds: 2, Clients: 6, OutageSeconds: 3), Progress);
        Assert.True(report.Passed, string.Join("\n", report.Problems));
        Assert.All(report.Rounds, r => Assert.True(r.Answers503 > 0 && r.RecognizedFromMemory > 0));
    }

    [Fact]
    public async Task Load_ThroughputAndLatency_503sPastTheQueue_RateLimitPerKeyHolds()
    {
        var report = await LoadHarness.RunAsync(new LoadOptions([1, 4, 16], TimeSpan.FromSeconds(4), 400), Progress);
        Assert.True(report.Passed, string.Join("\n", report.Problems));
        Assert.All(report.Levels, l => Assert.True(l.Throughput > 0));
        Assert.Equal(0, report.Levels[0].Status503); // one client never meets a full queue
        Assert.True(report.Rate.Limited > 0 && report.Rate.Accepted <= report.Rate.Allowed);
    }

    [Fact]
    public async Task Replicas_SeeEachOthersWritesWithinASecond_CatchUpAfterAnOutage_BehindNginx()
    {
        var report = await ReplicaHarness.RunAsync(new ReplicaOptions(Replicas: 3, Rounds: 4, Nginx: true), Progress);
        Assert.True(report.Passed, string.Join("\n", report.Problems));
        Assert.True(report.AddVisibleMs.Count >= 6 && report.AddVisibleMs.Max < 1000);
        Assert.Equal(2, report.MissedWhileDisconnected);
        Assert.All(report.Nginx!.ByReplica.Values, served => Assert.True(served > 0));
    }

    [Fact]
    public async Task RateLimit_IsOneLimitPerKey_ForTwoReplicasBehindNginx()
    {
        var report = await RateLimitHarness.RunAsync(new RateLimitOptions(Seconds: 6, RatePerSecond: 5, Burst: 10), Progress);
        Assert.True(report.Passed, string.Join("\n", report.Problems));
        Assert.All(report.TwoReplicas.ServedByReplica.Values, served => Assert.True(served > 0));
        Assert.True(report.TwoReplicas.Admitted <= report.TwoReplicas.Allowed);
    }

    [Fact]
    public async Task ChangeLog_StaysBoundedUnderWrites_AndAReplicaAwayLongerThanTheWindow_ReloadsAndConverges()
    {
        var report = await ChangeLogHarness.RunAsync(new ChangeLogOptions(Writes: 40_000, Batch: 500, WindowSeconds: 8), Progress);
        Assert.True(report.Passed, string.Join("\n", report.Problems));
        Assert.True(report.Reloaded);
        Assert.True(report.OneAway.MaxRows <= report.OneAway.Bound);
    }

    /// <summary>The harnesses' progress lines in the test output.</summary>
    private sealed class OutputWriter(ITestOutputHelper output) : StringWriter
    {
        public override void WriteLine(string? value)
        {
            try { output.WriteLine(value ?? ""); }
            catch (InvalidOperationException) { } // the test already ended
        }
    }
}

[CollectionDefinition(HarnessTests.Name)]
public sealed class HarnessCollection;
