// The host runs on Linux only (the local backend's process groups and cgroups, no-follow file placement in homes).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
