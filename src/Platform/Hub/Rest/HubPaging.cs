using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;

namespace DevPlatform.Hub.Rest;

/// <summary>
/// JupyterHub's pagination: <c>offset</c>/<c>limit</c> (default 50, at most 200; without the pagination media
/// type the default is the maximum, as 3.0 does for old clients), and with
/// <c>Accept: application/jupyterhub-pagination+json</c> the <c>{items, _pagination}</c> form with the next page's URL.
/// </summary>
internal static class HubPaging
{
    public const string MediaType = "application/jupyterhub-pagination+json";
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static bool Accepted(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Headers.Accept.ToString().Split(',').Any(a => a.Trim().Equals(MediaType, StringComparison.OrdinalIgnoreCase));
    }

    public static (int Offset, int Limit) Read(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var offsetText = request.Query["offset"].LastOrDefault();
        var limitText = request.Query["limit"].LastOrDefault();
        long offset = 0, limit = Accepted(request) ? DefaultLimit : MaxLimit;
        if ((offsetText is not null && !long.TryParse(offsetText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out offset))
            || (limitText is not null && !long.TryParse(limitText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out limit)))
        {
            throw new HubApiException(400, "Invalid argument type, offset and limit must be integers");
        }

        return ((int)Math.Min(Math.Abs(offset), int.MaxValue), (int)Math.Clamp(Math.Abs(limit), 1, MaxLimit));
    }

    /// <summary>The items as they are, or in the paginated form when the client asked for it.</summary>
    public static IResult Answer(HttpRequest request, JsonNode items, int offset, int limit, int total)
    {
        ArgumentNullException.ThrowIfNull(items);
        return Answer(request, writer => items.WriteTo(writer), offset, limit, total);
    }

    /// <param name="request">The request, for its Accept header and URL.</param>
    /// <param name="writeItems">Writes the page's items as a JSON array.</param>
    /// <param name="offset">The page's offset.</param>
    /// <param name="limit">The page's size.</param>
    /// <param name="total">How many items there are in all (only the paginated form says).</param>
    public static IResult Answer(HttpRequest request, Action<Utf8JsonWriter> writeItems, int offset, int limit, int total)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Accepted(request))
        {
            return HubJson.Write(writeItems);
        }

        var next = offset + limit;
        var nextUrl = next < total ? NextUrl(request, next, limit) : null;
        return HubJson.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WritePropertyName("items");
            writeItems(writer);
            writer.WriteStartObject("_pagination");
            writer.WriteNumber("offset", offset);
            writer.WriteNumber("limit", limit);
            writer.WriteNumber("total", total);
            if (nextUrl is null)
            {
                writer.WriteNull("next");
            }
            else
            {
                writer.WriteStartObject("next");
                writer.WriteNumber("offset", next);
                writer.WriteNumber("limit", limit);
                writer.WriteString("url", nextUrl);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        });
    }

    /// <summary>The request's own URL with offset and limit replaced (kept in place) or appended, as Python's urlencode writes them.</summary>
    private static string NextUrl(HttpRequest request, int offset, int limit)
    {
        var query = QueryHelpers.ParseQuery(request.QueryString.Value).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
        query["offset"] = offset.ToString(CultureInfo.InvariantCulture);
        query["limit"] = limit.ToString(CultureInfo.InvariantCulture);
        var encoded = string.Join('&', query.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        return $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}?{encoded}";
    }
}
