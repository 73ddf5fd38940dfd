namespace DevPlatform.Tenancy;

internal static class TenancyExtensions
{
    public static IHostApplicationBuilder AddTenancy(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<UserStore>();
        builder.Services.AddScoped<GroupStore>();
        builder.Services.AddScoped<GroupPolicyStore>();
        builder.Services.AddScoped<MembershipStore>();
        builder.Services.AddScoped<DefaultGroup>();
        return builder;
    }

    public static RouteGroupBuilder MapTenancyApi(this RouteGroupBuilder api) => api.MapUsersApi().MapGroupsApi();
}
