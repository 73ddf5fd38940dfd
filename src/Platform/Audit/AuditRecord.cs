using System.Text.Json;

namespace DevPlatform.Audit;

/// <summary>An audit event as the API shows it; before/after are the resource as its API spec.</summary>
internal sealed record AuditRecord(
    long Id, DateTimeOffset At, string Actor, string Action, string ResourceType, string ResourceName, JsonElement? Before, JsonElement? After, string? SourceAddress)
{
    public static AuditRecord From(AuditEvent e) => new(e.Id, e.At, e.Actor, e.Action, e.ResourceType, e.ResourceName, Parse(e.Before), Parse(e.After), e.SourceAddress);

    private static JsonElement? Parse(string? json) => json is null ? null : JsonDocument.Parse(json).RootElement.Clone();
}
