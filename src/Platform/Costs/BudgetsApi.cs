using DevPlatform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Costs;

/// <summary>Users see their groups' spend against budget; admins see every group's.</summary>
internal static class BudgetsApi
{
    public static RouteGroupBuilder MapBudgetsApi(this RouteGroupBuilder api, RouteGroupBuilder admin)
    {
        api.MapGet("/me/budgets", async (HttpContext http, PlatformDbContext db, Budgets budgets, CancellationToken ct) =>
        {
            var name = http.User.Identity!.Name!;
            var groups = await db.Memberships.Where(m => m.User.Name == name).Select(m => m.Group.Name).OrderBy(n => n).ToListAsync(ct);
            return await StatusesAsync(budgets, groups, ct);
        }).WithName("GetMyBudgets").WithTags("Usage and cost").WithSummary("This month's spend against budget of each of your groups, with the thresholds crossed.");
        admin.MapGet("/budgets", async (PlatformDbContext db, Budgets budgets, CancellationToken ct) =>
                await StatusesAsync(budgets, await db.Groups.Where(g => g.Policy.MonthlyBudget != null).Select(g => g.Name).OrderBy(n => n).ToListAsync(ct), ct))
            .WithName("ListBudgets").WithTags("Usage and cost").WithSummary("Every group with a monthly budget: spend this month, share, thresholds crossed.");
        return api;
    }

    private static async Task<IReadOnlyList<BudgetStatus>> StatusesAsync(Budgets budgets, IReadOnlyList<string> groups, CancellationToken cancellationToken)
    {
        var statuses = new List<BudgetStatus>();
        foreach (var group in groups)
        {
            statuses.Add(await budgets.StatusAsync(group, cancellationToken));
        }

        return statuses;
    }
}
