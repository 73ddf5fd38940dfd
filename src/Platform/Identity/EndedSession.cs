namespace DevPlatform.Identity;

/// <summary>
/// A browser session signed out (<c>/hub/logout</c>): its cookie is refused from then on, on every replica, even if a
/// copy of it was kept. Rows older than a session's longest life are removed at the next sign-out.
/// </summary>
internal sealed class EndedSession
{
    public required string SessionId { get; set; }

    public long UserId { get; set; }

    public DateTimeOffset EndedAt { get; set; }
}
