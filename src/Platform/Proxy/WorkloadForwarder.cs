using System.Net;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace DevPlatform.Proxy;

/// <summary>
/// Forwards one request to a workload with YARP's direct forwarder (<see cref="IHttpForwarder"/>, one shared
/// <see cref="HttpMessageInvoker"/>): bodies streamed both ways and flushed as they arrive (event streams, long polls),
/// hop-by-hop headers dropped, WebSocket upgrades piped once the workload answers 101. Our access checks and route lookup
/// run before it; <see cref="EnvironmentTransformer"/> decides what of the request reaches the workload.
/// </summary>
internal sealed class WorkloadForwarder(IHttpForwarder forwarder, HttpMessageInvoker client, IOptions<ProxyOptions> options, ILogger<WorkloadForwarder> logger)
{
    private readonly ForwarderRequestConfig config = new()
    {
        Version = HttpVersion.Version11, // workloads speak HTTP/1.1 (WebSockets by upgrade)
        VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        ActivityTimeout = TimeSpan.FromSeconds(options.Value.IdleTimeoutSeconds), // an idle kernel socket or event stream stays open this long
    };

    /// <returns>False when the workload could not be reached (nothing was sent to the client yet).</returns>
    /// <param name="transform">Shapes the request the workload receives (headers, credentials).</param>
    /// <param name="respond">Runs on the response after the workload's headers are copied, before its body.</param>
    public async Task<bool> ForwardAsync(HttpContext context, Uri destination, Action<HttpRequestMessage> transform, Action<HttpResponse>? respond = null)
    {
        var error = await forwarder.SendAsync(context, destination.GetLeftPart(UriPartial.Authority), client, config, new Transformer(destination, transform, respond));
        if (error == ForwarderError.None)
        {
            return true;
        }

        var reason = context.Features.Get<IForwarderErrorFeature>()?.Exception?.Message ?? error.ToString();
        if (context.Response.HasStarted || error is ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.ResponseBodyCanceled)
        {
            return true; // the client went away, or the answer was under way: nothing more to say
        }

        logger.LogInformation("Forwarding to {Destination} failed ({Error}): {Message}", destination, error, reason);
        context.Response.Clear(); // YARP set 502/504 with no body; the caller explains
        return false;
    }

    private sealed class Transformer(Uri destination, Action<HttpRequestMessage> transform, Action<HttpResponse>? respond) : HttpTransformer
    {
        public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
        {
            await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
            proxyRequest.RequestUri = destination; // path and query as EnvironmentTransformer.Destination made them
            transform(proxyRequest);
        }

        public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
        {
            var copy = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
            if (proxyResponse is not null)
            {
                respond?.Invoke(httpContext.Response);
            }

            return copy;
        }
    }
}
