using System.Text.Json;
using DevPlatform.Audit;
using DevPlatform.Environments;
using DevPlatform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DevPlatform.Metrics;

/// <summary>
/// Alertmanager's webhook receiver (<c>POST /hub/alerts/alertmanager</c>, payload version 4): each firing
/// EnvironmentIdle alert stops the environment its <c>user</c> and <c>environment</c> labels name. Authenticated by
/// a shared secret sent as a bearer token (Alertmanager's <c>http_config.authorization.credentials</c>); idempotent
/// (a stopped environment stays as it is); every stop audited with the actor <c>alertmanager</c>.
/// </summary>
internal static class AlertmanagerWebhook
{
    public const string Path = "/hub/alerts/alertmanager";
    private static readonly JsonSerializerOptions Lenient = new(JsonSerializerDefaults.Web);

    public sealed record Payload(string? Version, string? Status, IReadOnlyList<Alert>? Alerts);

    public sealed record Alert(string? Status, IReadOnlyDictionary<string, string>? Labels, IReadOnlyDictionary<string, string>? Annotations);

    public sealed record Outcome(IReadOnlyList<string> Stopped, IReadOnlyList<string> Ignored);

    public static IEndpointRouteBuilder MapAlertmanagerWebhook(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, HandleAsync).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> HandleAsync(
        HttpContext http, IOptions<AlertRulesOptions> options, PlatformDbContext db, EnvironmentLifecycle lifecycle, AuditLog audit, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(options.Value.WebhookSecret))
        {
            return Results.Problem(statusCode: 404, title: "The Alertmanager webhook is off.", detail: "Set Alerts:WebhookSecret and give Alertmanager the same value as its bearer credentials.");
        }

        if (!Api.BearerSecret.Matches(http.Request, options.Value.WebhookSecret))
        {
            return Api.BearerSecret.Refused(http.Response, "Send the Alerts:WebhookSecret value as a bearer token.");
        }

        Payload? payload;
        try
        {
            payload = await JsonSerializer.DeserializeAsync<Payload>(http.Request.Body, Lenient, cancellationToken); // Alertmanager may add fields
        }
        catch (JsonException e)
        {
            return Results.Problem(statusCode: 400, title: "Not an Alertmanager webhook body.", detail: e.Message);
        }

        var stopped = new List<string>();
        var ignored = new List<string>();
        foreach (var alert in payload?.Alerts ?? [])
        {
            var labels = alert.Labels ?? new Dictionary<string, string>();
            var name = labels.GetValueOrDefault("alertname") ?? "?";
            if (name != "EnvironmentIdle" || alert.Status != "firing" || labels.GetValueOrDefault("user") is not { } user || labels.GetValueOrDefault("environment") is not { } environmentName)
            {
                ignored.Add($"{name} ({alert.Status}): not a firing EnvironmentIdle alert with user and environment labels");
                continue;
            }

            var environment = await db.Environments.AsNoTracking().Where(e => e.User.Name == user && e.Name == environmentName).Select(e => new { e.Id, e.State }).FirstOrDefaultAsync(cancellationToken);
            if (environment is null || !environment.State.IsActive())
            {
                ignored.Add($"{user}/{environmentName}: {(environment is null ? "no such environment" : $"already {environment.State.ToString().ToLowerInvariant()}")}");
                continue;
            }

            var summary = alert.Annotations?.GetValueOrDefault("summary");
            await lifecycle.StopAsync(environment.Id, $"Stopped by the EnvironmentIdle alert{(summary is null ? "" : $" ({summary})")}; the home is kept.", cancellationToken);
            audit.Record("alertmanager", "stop", "environment", $"{user}/{environmentName}", null, new { alert = name, summary });
            await db.SaveChangesAsync(cancellationToken);
            stopped.Add($"{user}/{environmentName}");
        }

        return Results.Ok(new Outcome(stopped, ignored));
    }
}
