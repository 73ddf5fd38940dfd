using System.Buffers;
using System.Net;
using Microsoft.AspNetCore.Http.Features;

namespace DevPlatform.Proxy;

/// <summary>
/// Forwards one request to a workload and streams the answer back: bodies are streamed both ways and
/// flushed as they arrive (event streams, long polls), hop-by-hop headers are dropped, and an HTTP/1.1
/// upgrade (WebSocket) becomes a raw two-way byte pipe once the workload answers 101 — so subprotocols,
/// cookies, Origin and Host reach it untouched. YARP does the same; its package cannot be restored here.
/// </summary>
internal sealed class HttpForwarder(HttpMessageInvoker client, ILogger<HttpForwarder> logger)
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Host",
    };

    /// <returns>False when the workload could not be reached (nothing was sent to the client yet).</returns>
    /// <param name="respond">Runs on the response after the workload's headers are copied, before its body.</param>
    public async Task<bool> ForwardAsync(HttpContext context, Uri destination, Action<HttpRequestMessage> transform, Action<HttpResponse>? respond = null)
    {
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        var isUpgrade = upgrade?.IsUpgradableRequest == true;
        using var request = CreateRequest(context, destination, isUpgrade);
        transform(request);

        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, context.RequestAborted);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !context.RequestAborted.IsCancellationRequested)
        {
            logger.LogInformation("Forwarding to {Destination} failed: {Message}", destination, e.Message);
            return false;
        }

        using (response)
        {
            context.Response.StatusCode = (int)response.StatusCode;
            CopyResponseHeaders(response, context.Response);
            respond?.Invoke(context.Response);
            if (isUpgrade && response.StatusCode == HttpStatusCode.SwitchingProtocols)
            {
                await PipeAsync(await response.Content.ReadAsStreamAsync(context.RequestAborted), await upgrade!.UpgradeAsync());
                return true;
            }

            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            await using var body = await response.Content.ReadAsStreamAsync(context.RequestAborted);
            var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
            try
            {
                int read;
                while ((read = await body.ReadAsync(buffer, context.RequestAborted)) > 0)
                {
                    await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException)
            {
                context.Abort(); // one side went away mid-body: end the other
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        return true;
    }

    private static HttpRequestMessage CreateRequest(HttpContext context, Uri destination, bool isUpgrade)
    {
        var incoming = context.Request;
        var request = new HttpRequestMessage(new HttpMethod(incoming.Method), destination)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        var hasBody = !isUpgrade && (incoming.ContentLength > 0 || incoming.Headers.TransferEncoding.Count > 0);
        if (hasBody)
        {
            request.Content = new StreamContent(incoming.Body);
        }

        foreach (var (name, values) in incoming.Headers)
        {
            if (HopByHop.Contains(name) || name.StartsWith(':'))
            {
                continue;
            }

            if (!request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values) && request.Content is not null)
            {
                request.Content.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        if (isUpgrade)
        {
            request.Headers.TryAddWithoutValidation("Connection", "Upgrade");
            request.Headers.TryAddWithoutValidation("Upgrade", incoming.Headers.Upgrade.ToString());
        }

        return request;
    }

    private static void CopyResponseHeaders(HttpResponseMessage response, HttpResponse outgoing)
    {
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!HopByHop.Contains(name) || (response.StatusCode == HttpStatusCode.SwitchingProtocols && name.Equals("Upgrade", StringComparison.OrdinalIgnoreCase)))
            {
                outgoing.Headers[name] = values.ToArray();
            }
        }
    }

    private static async Task PipeAsync(Stream upstream, Stream downstream)
    {
        await using (upstream)
        await using (downstream)
        {
            var toWorkload = downstream.CopyToAsync(upstream);
            var toBrowser = upstream.CopyToAsync(downstream);
            try
            {
                await Task.WhenAny(toWorkload, toBrowser);
            }
            catch (IOException)
            {
                // a side closed abruptly: both are disposed below
            }
        }
    }
}
