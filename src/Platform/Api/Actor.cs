using System.Security.Claims;

namespace DevPlatform.Api;

internal static class Actor
{
    /// <summary>Who is acting, for the audit log.</summary>
    public static string Of(ClaimsPrincipal user) => user.Identity?.Name ?? "anonymous";
}
