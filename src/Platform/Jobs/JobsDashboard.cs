using Hangfire;
using Hangfire.Dashboard;

namespace DevPlatform.Jobs;

/// <summary>
/// Hangfire's dashboard at <c>/admin/jobs/dashboard</c> (queues, retries, servers, recurring jobs), for platform admins
/// only: the endpoint needs the admin role (session or admin token; anyone else 403, anonymous to sign-in), and Hangfire's
/// own authorization filter checks the same. Its actions (retry, delete, trigger) carry ASP.NET Core's antiforgery token.
/// </summary>
internal static class JobsDashboard
{
    public const string Path = "/admin/jobs/dashboard";

    public static IEndpointRouteBuilder MapJobsDashboard(this IEndpointRouteBuilder app)
    {
        app.MapHangfireDashboard(Path, new DashboardOptions
        {
            AppPath = "/admin/jobs",
            DashboardTitle = "DevPlatform jobs",
            DisplayStorageConnectionString = false,
            Authorization = [new AdminsOnly()],
        }, app.ServiceProvider.GetRequiredService<JobStorage>()).RequireAuthorization(new Microsoft.AspNetCore.Authorization.AuthorizeAttribute { Roles = Api.TokenAuthenticationHandler.AdminRole });
        return app;
    }

    private sealed class AdminsOnly : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(Api.TokenAuthenticationHandler.AdminRole);
    }
}
