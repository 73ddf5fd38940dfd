namespace DevPlatform.Jobs;

/// <summary>A job an admin paused (or resumed): kept in the database, so a pause survives restarts and holds on every host.</summary>
internal sealed class JobSchedule
{
    public required string Job { get; set; }

    public bool Paused { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
