using System.Runtime.Versioning;

// The host under test runs on Linux only.
[assembly: SupportedOSPlatform("linux")]
