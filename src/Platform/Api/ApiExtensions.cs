using DevPlatform.Proxy;
using Microsoft.AspNetCore.Http.Json;

namespace DevPlatform.Api;

internal static class ApiExtensions
{
    /// <summary>Signed in (session or token), within the token's scopes.</summary>
    private const string PlatformPolicy = "platform";

    public static IHostApplicationBuilder AddApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.Configure<JsonOptions>(o => PlatformJson.Configure(o.SerializerOptions));
        builder.Services.Configure<PlatformOptions>(builder.Configuration.GetSection(PlatformOptions.Section));
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(PlatformPolicy, p => p.RequireAuthenticatedUser().AddRequirements(new Identity.ApiTokenScopeRequirement()))
            .AddPolicy(TokenAuthenticationHandler.AdminRole, p => p.RequireRole(TokenAuthenticationHandler.AdminRole))
            .AddPolicy(Identity.OwnerOrAdminRequirement.Policy, p => p.AddRequirements(new Identity.OwnerOrAdminRequirement()))
            .AddPolicy(Tenancy.GroupManagerRequirement.Policy, p => p.AddRequirements(new Tenancy.GroupManagerRequirement()));
        builder.Services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, Identity.ApiTokenScopeRequirement>();
        builder.Services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, Identity.OwnerOrAdminRequirement>();
        builder.Services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, Tenancy.GroupManagerHandler>();
        builder.Services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, Identity.ProblemAuthorizationResultHandler>();
        builder.Services.AddOpenApi();
        return builder;
    }

    /// <summary>The middleware every request passes: problem details for errors, the same-origin rule for signed-in writes, then authentication.</summary>
    public static WebApplication UseApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRequestBodyLimits();
        app.UseEnvironmentHosts();
        app.UseSameOriginWrites();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapOpenApi("/openapi/{documentName}.json");
        return app;
    }

    /// <summary><c>/api</c> for anyone signed in (or holding a token); endpoints check ownership themselves.</summary>
    public static RouteGroupBuilder MapPlatformApi(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGroup("/api").RequireAuthorization(PlatformPolicy).ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);

    /// <summary>The part of <c>/api</c> only admins reach.</summary>
    public static RouteGroupBuilder MapAdminApi(this RouteGroupBuilder api) => api.MapGroup(string.Empty).RequireAuthorization(TokenAuthenticationHandler.AdminRole);
}
