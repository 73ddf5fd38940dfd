using System.Security.Cryptography;
using System.Text;

namespace DevPlatform.Api;

/// <summary>Machine callers (Prometheus, Alertmanager) authenticate with a configured shared secret sent as a bearer token.</summary>
internal static class BearerSecret
{
    /// <summary>Whether the request carries <c>Authorization: Bearer {secret}</c> (compared in constant time).</summary>
    public static bool Matches(HttpRequest request, string secret)
    {
        var sent = request.Headers.Authorization.ToString();
        return sent.StartsWith("Bearer ", StringComparison.Ordinal)
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sent[7..]), Encoding.UTF8.GetBytes(secret));
    }

    /// <summary>401 with a <c>WWW-Authenticate: Bearer</c> challenge and what to send.</summary>
    public static IResult Refused(HttpResponse response, string detail)
    {
        response.Headers.WWWAuthenticate = "Bearer";
        return Results.Problem(statusCode: 401, title: "Unauthorized.", detail: detail);
    }
}
