using System.Net;

namespace DevPlatform.Identity;

internal static class LoopbackCheck
{
    /// <summary>A listen URL whose host is loopback: 127.0.0.0/8, ::1 or localhost.</summary>
    public static bool IsLoopbackUrl(string url)
    {
        var host = url.Split("://", 2)[^1].Split('/')[0];
        host = host.StartsWith('[') ? host[1..host.IndexOf(']', StringComparison.Ordinal)] : host.Split(':')[0];
        return host == "localhost" || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }

    /// <summary>The request arrived on a loopback address (the in-memory test server has none).</summary>
    public static bool ArrivedOnLoopback(HttpContext context) =>
        context.Connection.LocalIpAddress is null || IPAddress.IsLoopback(context.Connection.LocalIpAddress);
}
