namespace DevPlatform.Jobs;

/// <summary>
/// A job's interval as Hangfire's six-field cron (seconds first): every N seconds, minutes or hours, aligned to the
/// clock. An interval that does not divide its minute, hour or day runs at the next shorter one that does (90 s runs
/// every 60 s; 7 h every 6 h); a day or more runs daily at midnight UTC.
/// </summary>
internal static class JobCron
{
    public static string From(TimeSpan interval)
    {
        var seconds = Math.Max(1, (int)interval.TotalSeconds);
        if (seconds < 60)
        {
            return $"*/{Divisor(seconds, 60)} * * * * *";
        }

        if (seconds < 3600)
        {
            return $"0 */{Divisor(seconds / 60, 60)} * * * *";
        }

        return seconds < 86400 ? $"0 0 */{Divisor(seconds / 3600, 24)} * * *" : "0 0 0 * * *";
    }

    /// <summary>The largest divisor of <paramref name="whole"/> not above <paramref name="wanted"/>.</summary>
    private static int Divisor(int wanted, int whole)
    {
        for (var n = wanted; n > 1; n--)
        {
            if (whole % n == 0)
            {
                return n;
            }
        }

        return 1;
    }
}
