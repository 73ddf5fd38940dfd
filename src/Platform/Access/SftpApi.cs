using System.Text;
using DevPlatform.Api;
using Microsoft.Extensions.Options;

namespace DevPlatform.Access;

/// <summary>
/// What the OpenSSH helper asks (bearer <c>Sftp:Token</c>): a user's authorized_keys lines and the account list; and
/// what a signed-in user needs to connect (<c>/api/me/sftp</c>).
/// </summary>
internal static class SftpApi
{
    public sealed record SftpAccess(bool Enabled, string? Provider, string? Host, int Port, string User, int Keys, string? Command, string Reason);

    public static IEndpointRouteBuilder MapSftpMachineEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var sftp = endpoints.MapGroup("/hub/sftp").AllowAnonymous().ExcludeFromDescription();
        sftp.MapGet("/authorized-keys/{user}", async (string user, HttpContext http, SftpAccounts accounts, IOptions<SftpOptions> options, CancellationToken ct) =>
        {
            if (Refusal(http, options.Value) is { } refused)
            {
                return refused;
            }

            // An unknown, disabled or keyless user gets an empty answer: sshd then refuses the login, and nobody learns which it was.
            var account = (await accounts.ListAsync([user], ct)).FirstOrDefault();
            return Results.Text(string.Concat(account?.PublicKeys.Select(k => $"restrict {k}\n") ?? []), "text/plain", Encoding.UTF8);
        });
        sftp.MapGet("/accounts", async (HttpContext http, SftpAccounts accounts, IOptions<SftpOptions> options, CancellationToken ct) =>
            Refusal(http, options.Value) ?? Results.Text(
                string.Concat((await accounts.ListAsync(null, ct)).Select(a => $"{a.User} {a.Uid} {a.Gid} {a.Home}\n")), "text/plain", Encoding.UTF8));
        return endpoints;
    }

    public static RouteGroupBuilder MapSftpApi(this RouteGroupBuilder api)
    {
        api.MapGet("/me/sftp", async (HttpContext http, SftpAccounts accounts, IOptions<SftpOptions> options, CancellationToken ct) =>
        {
            var name = http.User.Identity!.Name!;
            var keys = (await accounts.ListAsync([name], ct)).FirstOrDefault()?.PublicKeys.Count ?? 0;
            var settings = options.Value;
            if (accounts.Provider is not { } provider)
            {
                return new SftpAccess(false, null, null, settings.Port, name, keys, null, "SFTP is not offered on this platform.");
            }

            var port = settings.Port == 22 ? "" : $"-P {settings.Port} ";
            return new SftpAccess(keys > 0, provider.DisplayName, settings.Host, settings.Port, name, keys, $"sftp {port}{name}@{settings.Host}",
                keys > 0 ? "Connect with any of your keys; you land in your home." : "Add an SSH public key first (POST /api/users/{you}/ssh-keys).");
        }).WithName("GetMySftpAccess").WithTags("SSH keys").WithSummary("Whether and how the signed-in user can reach their home over SFTP.");
        return api;
    }

    private static IResult? Refusal(HttpContext http, SftpOptions options) =>
        options.Token.Length == 0
            ? Results.Problem(statusCode: 404, title: "Not Found.", detail: "SFTP helper endpoints are off: set Sftp:Token.")
            : BearerSecret.Matches(http.Request, options.Token) ? null : BearerSecret.Refused(http.Response, "Send the Sftp:Token value as a bearer token.");
}
