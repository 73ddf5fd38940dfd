using System.Runtime.Versioning;

// The fixtures drive PostgreSQL and processes the way the (Linux-only) AppHost does.
[assembly: SupportedOSPlatform("linux")]
