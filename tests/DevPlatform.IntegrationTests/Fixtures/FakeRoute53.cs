using System.Collections.Concurrent;
using System.Globalization;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;

namespace DevPlatform.IntegrationTests.Fixtures;

/// <summary>
/// Route 53's record API for one hosted zone as the API reference describes it: ListResourceRecordSets (sorted, paged
/// with IsTruncated/NextRecordName/NextRecordType) and ChangeResourceRecordSets (a batch validated whole, then applied
/// atomically; DELETE must match the current set exactly; TXT values must be quoted; InvalidChangeBatch otherwise).
/// </summary>
public sealed class FakeRoute53 : FakeAwsEndpoint
{
    public const string ZoneId = "Z0123456789EXAMPLE";
    private static readonly XNamespace Ns = "https://route53.amazonaws.com/doc/2013-04-01/";
    private readonly ConcurrentDictionary<(string Name, string Type), (int Ttl, List<string> Values)> sets = new();
    private readonly Lock changing = new();

    public override string Region => "us-east-1";

    protected override string Service => "route53";

    protected override string ThrottlingCode => "Throttling";

    /// <summary>Records per list page (the real API allows up to 300); small to exercise paging.</summary>
    public int PageSize { get; set; } = 2;

    /// <summary>Every change batch's request body as received.</summary>
    public ConcurrentQueue<XDocument> Batches { get; } = new();

    public static Task<FakeRoute53> StartAsync() => StartAsync(new FakeRoute53());

    /// <summary>A record set as the zone holds it (<c>name.</c>, type): its TTL and values (TXT values quoted), or null.</summary>
    public (int Ttl, List<string> Values)? Get(string name, string type) => sets.TryGetValue((name.TrimEnd('.') + ".", type), out var set) ? set : null;

    public void Put(string name, string type, int ttl, params string[] values) => sets[(name.TrimEnd('.') + ".", type)] = (ttl, values.ToList());

    protected override async Task RouteAsync(HttpContext context, byte[] body)
    {
        var path = context.Request.Path.Value!;
        if (!path.StartsWith($"/2013-04-01/hostedzone/{ZoneId}/rrset", StringComparison.Ordinal))
        {
            await ErrorAsync(context, 404, "NoSuchHostedZone", $"No hosted zone found with ID: {path.Split('/').ElementAtOrDefault(3)}");
            return;
        }

        if (context.Request.Method == "GET")
        {
            await ListAsync(context);
            return;
        }

        var document = XDocument.Parse(System.Text.Encoding.UTF8.GetString(body));
        Batches.Enqueue(document);
        var problems = new List<string>();
        lock (changing)
        {
            var changes = document.Descendants(Ns + "Change").Select(c => (
                Action: c.Element(Ns + "Action")!.Value,
                Name: c.Descendants(Ns + "Name").Single().Value,
                Type: c.Descendants(Ns + "Type").Single().Value,
                Ttl: int.Parse(c.Descendants(Ns + "TTL").Single().Value, CultureInfo.InvariantCulture),
                Values: c.Descendants(Ns + "Value").Select(v => v.Value).ToList())).ToList();
            foreach (var change in changes)
            {
                if (change.Type == "TXT" && change.Values.Any(v => !v.StartsWith('"') || !v.EndsWith('"')))
                {
                    problems.Add("Invalid Resource Record: FATAL problem: InvalidCharacterString (Value should be enclosed in quotation marks)");
                }

                if (change.Action == "DELETE" && (!sets.TryGetValue((change.Name, change.Type), out var current) || current.Ttl != change.Ttl || !current.Values.Order().SequenceEqual(change.Values.Order())))
                {
                    problems.Add(current.Values is null
                        ? $"Tried to delete resource record set [name='{change.Name}', type='{change.Type}'] but it was not found"
                        : $"Tried to delete resource record set [name='{change.Name}', type='{change.Type}'] but the values provided do not match the current values");
                }

                if (change.Action is not ("UPSERT" or "DELETE" or "CREATE"))
                {
                    problems.Add($"Invalid action {change.Action}");
                }
            }

            if (problems.Count == 0)
            {
                foreach (var change in changes)
                {
                    if (change.Action == "DELETE")
                    {
                        sets.TryRemove((change.Name, change.Type), out _);
                    }
                    else
                    {
                        sets[(change.Name, change.Type)] = (change.Ttl, change.Values);
                    }
                }
            }
        }

        context.Response.ContentType = "text/xml";
        if (problems.Count > 0)
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsync(new XElement(Ns + "InvalidChangeBatch", new XElement(Ns + "Messages", problems.Select(p => new XElement(Ns + "Message", p)))).ToString());
            return;
        }

        await context.Response.WriteAsync(new XElement(Ns + "ChangeResourceRecordSetsResponse",
            new XElement(Ns + "ChangeInfo", new XElement(Ns + "Id", $"/change/C{Guid.NewGuid():N}"[..22]), new XElement(Ns + "Status", "PENDING"),
                new XElement(Ns + "SubmittedAt", DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)))).ToString());
    }

    protected override async Task ErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/xml";
        await context.Response.WriteAsync(new XElement(Ns + "ErrorResponse",
            new XElement(Ns + "Error", new XElement(Ns + "Type", "Sender"), new XElement(Ns + "Code", code), new XElement(Ns + "Message", message)),
            new XElement(Ns + "RequestId", Guid.NewGuid())).ToString());
    }

    /// <summary>Sets in Route 53's order (labels compared right to left, then type), from name/type on.</summary>
    private async Task ListAsync(HttpContext context)
    {
        static string Key(string name) => string.Join('.', name.TrimEnd('.').Split('.').Reverse());
        var ordered = sets.OrderBy(s => Key(s.Key.Name), StringComparer.Ordinal).ThenBy(s => s.Key.Type, StringComparer.Ordinal).ToList();
        var from = context.Request.Query["name"].ToString();
        var fromType = context.Request.Query["type"].ToString();
        var start = from.Length == 0 ? 0 : ordered.FindIndex(s => s.Key.Name == from && (fromType.Length == 0 || s.Key.Type == fromType));
        var page = ordered.Skip(Math.Max(start, 0)).Take(PageSize + 1).ToList();
        var truncated = page.Count > PageSize;
        context.Response.ContentType = "text/xml";
        await context.Response.WriteAsync(new XElement(Ns + "ListResourceRecordSetsResponse",
            new XElement(Ns + "ResourceRecordSets", page.Take(PageSize).Select(s => new XElement(Ns + "ResourceRecordSet",
                new XElement(Ns + "Name", s.Key.Name), new XElement(Ns + "Type", s.Key.Type), new XElement(Ns + "TTL", s.Value.Ttl),
                new XElement(Ns + "ResourceRecords", s.Value.Values.Select(v => new XElement(Ns + "ResourceRecord", new XElement(Ns + "Value", v))))))),
            new XElement(Ns + "IsTruncated", truncated ? "true" : "false"),
            truncated ? new XElement(Ns + "NextRecordName", page[^1].Key.Name) : null,
            truncated ? new XElement(Ns + "NextRecordType", page[^1].Key.Type) : null,
            new XElement(Ns + "MaxItems", PageSize)).ToString());
    }
}
