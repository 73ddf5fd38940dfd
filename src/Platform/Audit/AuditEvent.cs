namespace DevPlatform.Audit;

/// <summary>One change: who did what to which resource, with its state before and after (JSON).</summary>
internal sealed class AuditEvent
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    public required string Actor { get; set; }

    public required string Action { get; set; }

    public required string ResourceType { get; set; }

    public required string ResourceName { get; set; }

    public string? Before { get; set; }

    public string? After { get; set; }

    /// <summary>The client address for sign-ins and token use; null for changes made through the API.</summary>
    public string? SourceAddress { get; set; }
}
