using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DevPlatform.Abstractions;
using DevPlatform.IntegrationTests.Fixtures;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace DevPlatform.IntegrationTests.Jobs;

/// <summary>Jobs on Hangfire: its dashboard for admins only, Hangfire's retries of an hourly job, the upgrade from Quartz.</summary>
public sealed class HangfireJobsTests : LiveHostTest
{
    protected override Action<IServiceCollection>? Services => s => s.AddSingleton<IPlatformJob, FailsOnceJob>();

    protected override IReadOnlyDictionary<string, string?>? Settings => new Dictionary<string, string?> { ["Auth:DevAdmins:0"] = "admin-ann" };

    [Fact]
    public async Task Dashboard_ServesAdminsOnly_AndItsActionsNeedTheAntiforgeryToken()
    {
        using var admin = new Browser(Host.BaseAddress);
        await admin.LoginAsync("admin-ann"); // a platform admin by dev login (Auth:DevAdmins)
        using (var page = await admin.Client.GetAsync(new Uri("/admin/jobs/dashboard/recurring", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            var html = await page.Content.ReadAsStringAsync();
            Assert.Contains("DevPlatform jobs", html, StringComparison.Ordinal);
            Assert.Contains("idle-culler", html, StringComparison.Ordinal); // the recurring jobs are Hangfire's
        }

        Assert.Equal(HttpStatusCode.OK, (await Admin.GetAsync(new Uri("/admin/jobs/dashboard", UriKind.Relative))).StatusCode); // the admin token too
        Assert.Equal(HttpStatusCode.Forbidden, (await Alice.Client.GetAsync(new Uri("/admin/jobs/dashboard", UriKind.Relative))).StatusCode);
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Host.BaseAddress };
        Assert.NotEqual(HttpStatusCode.OK, (await anonymous.GetAsync(new Uri("/admin/jobs/dashboard", UriKind.Relative))).StatusCode);

        // A cross-site form post from the admin's browser (no antiforgery token) triggers nothing.
        using var forged = new FormUrlEncodedContent(new Dictionary<string, string> { ["jobs[]"] = "failing-once" });
        using var refused = await admin.Client.PostAsync(new Uri("/admin/jobs/dashboard/recurring/trigger", UriKind.Relative), forged);
        Assert.NotEqual(HttpStatusCode.NoContent, refused.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
        var runs = await Admin.GetFromJsonAsync<JsonElement>("/api/jobs/failing-once/runs");
        Assert.Equal(0, runs.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task AnHourlyJobThatFails_IsRetriedByHangfire_AndBothRunsAreInItsHistory()
    {
        await ApiAssert.OkAsync(await Admin.PostAsync(new Uri("/api/jobs/failing-once/run", UriKind.Relative), null), HttpStatusCode.Accepted);
        var runs = await Eventually.UntilAsync(async () => await Admin.GetFromJsonAsync<JsonElement>("/api/jobs/failing-once/runs"),
            r => r.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("outcome").GetString() == "succeeded"), TimeSpan.FromSeconds(60), "Hangfire's retry");
        var items = runs.GetProperty("items").EnumerateArray().Select(i => (Trigger: i.GetProperty("trigger").GetString(), Outcome: i.GetProperty("outcome").GetString(), Summary: i.GetProperty("summary").GetString())).ToList();
        Assert.Equal([("admin (retry 1)", "succeeded", "done on the second try"), ("admin", "failed", "InvalidOperationException: the mirror timed out")], items);
    }

    [Fact]
    public async Task UpgradeFromQuartz_KeepsAPausedJobPaused_AndDropsQuartzTables()
    {
        var postgres = await TestPostgres.SharedAsync();
        var database = await postgres.CreateEmptyDatabaseAsync();
        await using (var db = new DevPlatform.Persistence.PlatformDbContext(new DbContextOptionsBuilder<DevPlatform.Persistence.PlatformDbContext>().UseNpgsql(database).Options))
        {
            var migrator = db.GetService<Microsoft.EntityFrameworkCore.Migrations.IMigrator>();
            await migrator.MigrateAsync("20261205020000_CatalogFileEntries"); // the last schema Quartz ran on
        }

        // Quartz's own PostgreSQL DDL for the tables the upgrade reads (tables_postgres.sql), with a paused idle-culler trigger.
        await Sql.ExecuteAsync(database, """
            CREATE TABLE qrtz_job_details (sched_name text NOT NULL, job_name text NOT NULL, job_group text NOT NULL, description text NULL,
                job_class_name text NOT NULL, is_durable bool NOT NULL, is_nonconcurrent bool NOT NULL, is_update_data bool NOT NULL,
                requests_recovery bool NOT NULL, job_data bytea NULL, PRIMARY KEY (sched_name, job_name, job_group));
            CREATE TABLE qrtz_triggers (sched_name text NOT NULL, trigger_name text NOT NULL, trigger_group text NOT NULL, job_name text NOT NULL,
                job_group text NOT NULL, description text NULL, next_fire_time bigint NULL, prev_fire_time bigint NULL, priority integer NULL,
                trigger_state text NOT NULL, trigger_type text NOT NULL, start_time bigint NOT NULL, end_time bigint NULL, calendar_name text NULL,
                misfire_instr smallint NULL, job_data bytea NULL, PRIMARY KEY (sched_name, trigger_name, trigger_group),
                FOREIGN KEY (sched_name, job_name, job_group) REFERENCES qrtz_job_details (sched_name, job_name, job_group));
            CREATE TABLE qrtz_simple_triggers (sched_name text NOT NULL, trigger_name text NOT NULL, trigger_group text NOT NULL, repeat_count bigint NOT NULL,
                repeat_interval bigint NOT NULL, times_triggered bigint NOT NULL, PRIMARY KEY (sched_name, trigger_name, trigger_group),
                FOREIGN KEY (sched_name, trigger_name, trigger_group) REFERENCES qrtz_triggers (sched_name, trigger_name, trigger_group) ON DELETE CASCADE);
            CREATE TABLE qrtz_scheduler_state (sched_name text NOT NULL, instance_name text NOT NULL, last_checkin_time bigint NOT NULL,
                checkin_interval bigint NOT NULL, PRIMARY KEY (sched_name, instance_name));
            CREATE TABLE qrtz_locks (sched_name text NOT NULL, lock_name text NOT NULL, PRIMARY KEY (sched_name, lock_name));
            INSERT INTO qrtz_job_details VALUES ('devplatform', 'idle-culler', 'devplatform', 'culler', 'DevPlatform.Jobs.PlatformJobRunner', true, true, false, false, NULL);
            INSERT INTO qrtz_job_details VALUES ('devplatform', 'reconciler', 'devplatform', 'reconciler', 'DevPlatform.Jobs.PlatformJobRunner', true, true, false, false, NULL);
            INSERT INTO qrtz_triggers VALUES ('devplatform', 'idle-culler', 'devplatform', 'idle-culler', 'devplatform', NULL, 0, 0, 5, 'PAUSED', 'SIMPLE', 0, NULL, NULL, 0, NULL);
            INSERT INTO qrtz_triggers VALUES ('devplatform', 'reconciler', 'devplatform', 'reconciler', 'devplatform', NULL, 0, 0, 5, 'WAITING', 'SIMPLE', 0, NULL, NULL, 0, NULL);
            """);

        var (host, url) = await HostProcess.StartAsync(database, PluginFolder.With(PluginFolder.BuiltIn), new Dictionary<string, string> { ["Database__MigrateOnStartup"] = "true" }); // the upgrade
        using (host)
        using (HostProcess.KillOnExit(host))
        {
            using var admin = new HttpClient { BaseAddress = url };
            admin.DefaultRequestHeaders.Authorization = new("Bearer", PlatformFactory.AdminToken);
            var culler = await admin.GetFromJsonAsync<JsonElement>("/api/jobs/idle-culler");
            Assert.True(culler.GetProperty("paused").GetBoolean());
            Assert.False((await admin.GetFromJsonAsync<JsonElement>("/api/jobs/reconciler")).GetProperty("paused").GetBoolean());
            Assert.Equal(0L, await Sql.ScalarAsync(database, "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'qrtz%'"));
            Assert.Equal(0L, await Sql.ScalarAsync(database, "SELECT count(*) FROM hangfire.set WHERE key = 'recurring-jobs' AND value = 'idle-culler'")); // off Hangfire's schedule
            Assert.Equal(1L, await Sql.ScalarAsync(database, "SELECT count(*) FROM hangfire.set WHERE key = 'recurring-jobs' AND value = 'reconciler'"));
            await HostProcess.StopAsync(host);
        }
    }

    /// <summary>An hourly plugin job whose first run fails (a mirror timed out) and whose retry works.</summary>
    private sealed class FailsOnceJob : IPlatformJob
    {
        private int runs;

        public string Name => "failing-once";

        public string Description => "Syncs a mirror (test).";

        public TimeSpan DefaultInterval => TimeSpan.FromHours(1);

        public Task<string> RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref runs) == 1 ? throw new InvalidOperationException("the mirror timed out") : Task.FromResult("done on the second try");
    }
}
