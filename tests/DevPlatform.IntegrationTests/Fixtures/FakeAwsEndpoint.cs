using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace DevPlatform.IntegrationTests.Fixtures;

/// <summary>
/// An AWS service endpoint on loopback: every request's SigV4 signature is verified first (403
/// SignatureDoesNotMatch otherwise), then the service answers as its API reference shows. Tests can make the next
/// calls throttled, as AWS throttles.
/// </summary>
public abstract class FakeAwsEndpoint : IAsyncDisposable
{
    public const string AccessKey = "AKIAIOSFODNN7EXAMPLE";
    public const string SecretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private WebApplication? app;
    private int throttled;

    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Every request as "METHOD target status" (JSON services: "X-Amz-Target status").</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public abstract string Region { get; }

    protected abstract string Service { get; }

    /// <summary>The error code this service answers throttled calls with (e.g. Throttling, ThrottlingException).</summary>
    protected abstract string ThrottlingCode { get; }

    /// <summary>The next <paramref name="calls"/> signed calls are answered as throttled.</summary>
    public void ThrottleNext(int calls) => Interlocked.Exchange(ref throttled, calls);

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    protected static async Task<T> StartAsync<T>(T fake)
        where T : FakeAwsEndpoint
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        fake.app = builder.Build();
        fake.app.Run(fake.HandleAsync);
        await fake.app.StartAsync();
        fake.Endpoint = new Uri(fake.app.Urls.First());
        return fake;
    }

    protected abstract Task RouteAsync(HttpContext context, byte[] body);

    protected abstract Task ErrorAsync(HttpContext context, int status, string code, string message);

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var target = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        if (SigV4.Verify(request, target, body, AccessKey, SecretKey, Region, Service) is { } problem)
        {
            await ErrorAsync(context, 403, "SignatureDoesNotMatch", problem);
        }
        else if (Interlocked.Decrement(ref throttled) >= 0)
        {
            await ErrorAsync(context, 400, ThrottlingCode, "Rate exceeded");
        }
        else
        {
            Interlocked.Exchange(ref throttled, 0);
            await RouteAsync(context, body);
        }

        var what = request.Headers["X-Amz-Target"].ToString() is { Length: > 0 } action ? action : $"{request.Method} {target}";
        Requests.Enqueue($"{what} {context.Response.StatusCode}");
    }
}
