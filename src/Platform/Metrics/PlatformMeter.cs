using System.Diagnostics.Metrics;

namespace DevPlatform.Metrics;

/// <summary>The platform's instruments live on one meter, <c>DevPlatform</c>; <c>/metrics</c> exports it.</summary>
internal static class PlatformMeter
{
    public const string Name = "DevPlatform";

    public static readonly Meter Meter = new(Name);
}
