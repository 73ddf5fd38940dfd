namespace DevPlatform.Audit;

internal static class AuditExtensions
{
    public static IHostApplicationBuilder AddAudit(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<AuditLog>();
        builder.Services.AddSingleton<AccessAudit>();
        return builder;
    }
}
