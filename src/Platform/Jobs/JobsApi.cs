using DevPlatform.Abstractions;
using DevPlatform.Api;
using DevPlatform.Audit;
using DevPlatform.Persistence;
using DevPlatform.Strategies;

namespace DevPlatform.Jobs;

/// <summary>Admins see every job (schedule, last and next run, history) and can run one now, pause and resume it.</summary>
internal static class JobsApi
{
    public static RouteGroupBuilder MapJobsApi(this RouteGroupBuilder admin)
    {
        var jobs = admin.MapGroup("/jobs").WithTags("Jobs");
        jobs.MapGet("/", ListAsync).WithName("ListJobs").WithSummary("Every scheduled job: interval, paused, next run, last run.");
        jobs.MapGet("/{name}", async (string name, JobCatalog catalog, CancellationToken ct) => await catalog.ViewAsync(catalog.Find(name), ct))
            .WithName("GetJob");
        jobs.MapGet("/{name}/runs", (string name, JobCatalog catalog, PlatformDbContext db, int? offset, int? limit, CancellationToken ct) =>
                new PageRequest(offset, limit).ApplyAsync(db.JobRuns.Where(r => r.Job == catalog.Find(name).Name).OrderByDescending(r => r.Id), JobRunView.From, ct))
            .WithName("ListJobRuns").WithSummary("The job's runs, newest first.");
        jobs.MapPost("/{name}/run", RunNowAsync).WithName("RunJob").WithSummary("Runs the job now on some host (202); the run appears in its history.");
        jobs.MapPost("/{name}/pause", (string name, JobCatalog catalog, AuditLog audit, HttpContext http, CancellationToken ct) =>
            catalog.PauseAsync(catalog.Find(name), true, Actor.Of(http.User), audit, ct)).WithName("PauseJob");
        jobs.MapPost("/{name}/resume", (string name, JobCatalog catalog, AuditLog audit, HttpContext http, CancellationToken ct) =>
            catalog.PauseAsync(catalog.Find(name), false, Actor.Of(http.User), audit, ct)).WithName("ResumeJob");
        return admin;
    }

    internal static async Task<IReadOnlyList<JobView>> ListAsync(JobCatalog catalog, NamedStrategies<IPlatformJob> all, CancellationToken cancellationToken)
    {
        var views = new List<JobView>();
        foreach (var name in all.Names)
        {
            views.Add(await catalog.ViewAsync(all.Find(name)!, cancellationToken));
        }

        return views;
    }

    private static async Task<IResult> RunNowAsync(string name, JobCatalog catalog, AuditLog audit, PlatformDbContext db, HttpContext http, CancellationToken cancellationToken)
    {
        var job = catalog.Find(name);
        var actor = Actor.Of(http.User);
        catalog.Trigger(job, actor);
        audit.Record(actor, "run", "job", job.Name, null, null);
        await db.SaveChangesAsync(cancellationToken);
        return Results.Accepted($"/api/jobs/{job.Name}/runs", await catalog.ViewAsync(job, cancellationToken));
    }
}
