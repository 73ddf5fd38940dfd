namespace DevPlatform.Environments;

/// <summary>The user's home and the group's folders from the last storage scan (bytes), the home's hard limit, and the group's month-to-date spend when it has a budget.</summary>
internal sealed record LimitReadings(long HomeBytes, long? HomeLimit, long GroupBytes, decimal? Spent);
