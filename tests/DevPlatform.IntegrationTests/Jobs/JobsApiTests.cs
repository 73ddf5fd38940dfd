using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DevPlatform.Abstractions;
using DevPlatform.IntegrationTests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace DevPlatform.IntegrationTests.Jobs;

/// <summary>Admins see, run, pause and resume jobs; a failing job is recorded and retried, never taking the host down.</summary>
public sealed class JobsApiTests
{
    [Fact]
    public async Task Jobs_AreListedWithSchedule_RunNowIsRecordedWithWhoAsked_PauseAndResumeAreAudited()
    {
        await using var host = await PlatformFactory.CreateAsync();
        var admin = host.CreateAdminClient();
        var jobs = await admin.GetFromJsonAsync<JsonElement>("/api/jobs");
        Assert.Equal(["budget-enforcer", "dns-reconcile", "dormant-homes", "home-backups", "idle-culler", "max-age-culler", "reconciler", "row-counts", "scratch-cleanup", "sftp-sync", "storage-scan", "usage-meter"], jobs.EnumerateArray().Select(j => j.GetProperty("name").GetString()));
        var culler = jobs.EnumerateArray().Single(j => j.GetProperty("name").GetString() == "idle-culler");
        Assert.Equal(60, culler.GetProperty("intervalSeconds").GetInt32());
        Assert.False(culler.GetProperty("paused").GetBoolean());
        Assert.Equal(JsonValueKind.String, culler.GetProperty("nextRunAt").ValueKind);
        Assert.StartsWith("Stops environments idle longer", culler.GetProperty("description").GetString(), StringComparison.Ordinal);

        await ApiAssert.OkAsync(await admin.PostAsync(new Uri("/api/jobs/idle-culler/run", UriKind.Relative), null), HttpStatusCode.Accepted);
        var run = await Eventually.UntilAsync(async () => await ManualRunAsync(admin, "idle-culler"),
            r => r is { } x && x.GetProperty("outcome").GetString() != "running", TimeSpan.FromSeconds(30), "the requested run to finish");
        Assert.Equal("succeeded", run!.Value.GetProperty("outcome").GetString());
        Assert.Equal("0 running with an idle timeout: stopped 0, warned 0, busy by CPU 0.", run.Value.GetProperty("summary").GetString());
        Assert.True(run.Value.GetProperty("durationSeconds").GetDouble() >= 0);

        var paused = await ApiAssert.OkAsync(await admin.PostAsync(new Uri("/api/jobs/idle-culler/pause", UriKind.Relative), null));
        Assert.True(paused.GetProperty("paused").GetBoolean());
        Assert.Equal(JsonValueKind.Null, paused.GetProperty("nextRunAt").ValueKind);
        Assert.True((await admin.GetFromJsonAsync<JsonElement>("/api/jobs/idle-culler")).GetProperty("paused").GetBoolean());
        var resumed = await ApiAssert.OkAsync(await admin.PostAsync(new Uri("/api/jobs/idle-culler/resume", UriKind.Relative), null));
        Assert.False(resumed.GetProperty("paused").GetBoolean());

        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/audit?resourceType=job");
        Assert.Equal(["resume", "pause", "run"], audit.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("action").GetString()));

        var unknown = await ApiAssert.ProblemAsync(await admin.PostAsync(new Uri("/api/jobs/cull-everything/run", UriKind.Relative), null), HttpStatusCode.NotFound);
        Assert.Contains("Jobs: budget-enforcer, dns-reconcile, dormant-homes, home-backups, idle-culler, max-age-culler, reconciler, row-counts, scratch-cleanup, sftp-sync, storage-scan, usage-meter", unknown.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFailingJob_IsRecordedInOneLine_TheHostKeepsServing_AndTheNextRunSucceeds()
    {
        await using var host = await PlatformFactory.CreateAsync();
        host.TestServices = s => s.AddSingleton<IPlatformJob, FlakyJob>();
        var admin = host.CreateAdminClient();

        await ApiAssert.OkAsync(await admin.PostAsync(new Uri("/api/jobs/flaky/run", UriKind.Relative), null), HttpStatusCode.Accepted);
        var failed = await Eventually.UntilAsync(async () => await ManualRunAsync(admin, "flaky"),
            r => r is { } x && x.GetProperty("outcome").GetString() != "running", TimeSpan.FromSeconds(30), "the failing run");
        Assert.Equal("failed", failed!.Value.GetProperty("outcome").GetString());
        Assert.Equal("InvalidOperationException: the archive did not answer", failed.Value.GetProperty("summary").GetString());
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode);

        await ApiAssert.OkAsync(await admin.PostAsync(new Uri("/api/jobs/flaky/run", UriKind.Relative), null), HttpStatusCode.Accepted);
        var job = await Eventually.UntilAsync(async () => await admin.GetFromJsonAsync<JsonElement>("/api/jobs/flaky"),
            j => j.GetProperty("lastRun").ValueKind == JsonValueKind.Object && j.GetProperty("lastRun").GetProperty("outcome").GetString() == "succeeded",
            TimeSpan.FromSeconds(30), "the next run to succeed");
        Assert.Equal("cleaned 3 folders", job.GetProperty("lastRun").GetProperty("summary").GetString());
    }

    private static async Task<JsonElement?> ManualRunAsync(HttpClient admin, string job)
    {
        var runs = await admin.GetFromJsonAsync<JsonElement>($"/api/jobs/{job}/runs");
        return runs.GetProperty("items").EnumerateArray().Where(r => r.GetProperty("trigger").GetString() == "admin").Select(r => (JsonElement?)r).FirstOrDefault();
    }

    /// <summary>A plugin's job that fails on its first run (a remote it needs is down) and works after.</summary>
    private sealed class FlakyJob : IPlatformJob
    {
        private int runs;

        public string Name => "flaky";

        public string Description => "Cleans shared folders (test).";

        public TimeSpan DefaultInterval => TimeSpan.FromHours(1);

        public Task<string> RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref runs) == 1 ? throw new InvalidOperationException("the archive did not answer") : Task.FromResult("cleaned 3 folders");
    }
}
