namespace DevPlatform.Environments;

/// <summary>An event as the API and the event stream show it.</summary>
internal sealed record EnvironmentEventView(long Id, DateTimeOffset At, EnvironmentState State, bool Transition, string Message)
{
    public static EnvironmentEventView From(EnvironmentEvent e) => new(e.Id, e.At, e.State, e.Transition, e.Message);
}
