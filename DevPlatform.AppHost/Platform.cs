using System.Runtime.Versioning;

// PostgreSQL via runuser/pg_ctl, Unix file modes and signals: the AppHost is for Linux machines.
[assembly: SupportedOSPlatform("linux")]
