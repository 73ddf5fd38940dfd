using Microsoft.AspNetCore.Http.Json;

namespace DevPlatform.Api;

internal static class ApiExtensions
{
    public static IHostApplicationBuilder AddApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.Configure<JsonOptions>(o => PlatformJson.Configure(o.SerializerOptions));
        builder.Services.Configure<PlatformOptions>(builder.Configuration.GetSection(PlatformOptions.Section));
        builder.Services.AddAuthentication(AdminTokenHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, AdminTokenHandler>(AdminTokenHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AdminTokenHandler.AdminRole, p => p.RequireRole(AdminTokenHandler.AdminRole));
        builder.Services.AddOpenApi();
        return builder;
    }

    /// <summary>The middleware every request passes: problem details for errors, then authentication.</summary>
    public static WebApplication UseApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi("/openapi/{documentName}.json");
        return app;
    }

    /// <summary><c>/api</c>, admin only until per-user sign-in arrives.</summary>
    public static RouteGroupBuilder MapPlatformApi(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGroup("/api").RequireAuthorization(AdminTokenHandler.AdminRole).ProducesProblem(400).ProducesProblem(401).ProducesProblem(404).ProducesProblem(409);
}
