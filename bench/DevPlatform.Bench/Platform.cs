using System.Runtime.Versioning;

// Drives processes, wrk and PostgreSQL the way the (Linux-only) fixtures do.
[assembly: SupportedOSPlatform("linux")]
