using System.Globalization;
using System.Text;
using System.Xml.Linq;
using DevPlatform.Abstractions;
using DevPlatform.Plugins.Access.Aws;
using Microsoft.Extensions.Configuration;

namespace DevPlatform.Plugins.Access.Dns;

/// <summary>
/// Records in an Amazon Route 53 hosted zone (<c>Dns:Route53:HostedZoneId</c>): ListResourceRecordSets page by page,
/// ChangeResourceRecordSets in batches of UPSERT and DELETE (each batch is atomic in Route 53). Signed with SigV4 for
/// the global endpoint (us-east-1); see <see cref="AwsClient"/> for credentials and retries.
/// </summary>
internal sealed class Route53Dns(IConfiguration configuration) : IDnsProvider, IDisposable
{
    /// <summary>Route 53 allows 1,000 changes per request; smaller batches keep an error's blast radius small.</summary>
    internal const int BatchSize = 100;
    private static readonly XNamespace Ns = "https://route53.amazonaws.com/doc/2013-04-01/";
    private readonly AwsClient aws = new(configuration.GetSection("Dns:Route53"), "route53", "https://route53.amazonaws.com", ReadError);

    public string Name => "route53";

    public async Task<IReadOnlyList<DnsRecordSet>> ListAsync(string zone, CancellationToken cancellationToken)
    {
        var sets = new List<DnsRecordSet>();
        string? next = null, nextType = null;
        do
        {
            var query = "maxitems=300" + (next is null ? "" : $"&name={Uri.EscapeDataString(next)}&type={nextType}");
            var body = await Call(HttpMethod.Get, $"rrset?{query}", null, cancellationToken);
            var root = XDocument.Parse(body).Root!;
            foreach (var set in root.Descendants(Ns + "ResourceRecordSet"))
            {
                var type = set.Element(Ns + "Type")!.Value;
                if (type is "A" or "AAAA" or "CNAME" or "TXT" && set.Element(Ns + "AliasTarget") is null)
                {
                    sets.Add(new DnsRecordSet(Normalize(set.Element(Ns + "Name")!.Value), type, int.Parse(set.Element(Ns + "TTL")?.Value ?? "0", CultureInfo.InvariantCulture),
                        set.Descendants(Ns + "Value").Select(v => type == "TXT" ? Unquote(v.Value) : Normalize(v.Value)).ToList()));
                }
            }

            (next, nextType) = root.Element(Ns + "IsTruncated")?.Value == "true"
                ? (root.Element(Ns + "NextRecordName")?.Value, root.Element(Ns + "NextRecordType")?.Value) : (null, null);
        }
        while (next is not null);

        return sets;
    }

    public async Task ApplyAsync(string zone, IReadOnlyList<DnsChange> changes, CancellationToken cancellationToken)
    {
        foreach (var batch in changes.Chunk(BatchSize))
        {
            var request = new XDocument(new XDeclaration("1.0", "UTF-8", null), new XElement(Ns + "ChangeResourceRecordSetsRequest",
                new XElement(Ns + "ChangeBatch",
                    new XElement(Ns + "Comment", "DevPlatform DNS reconcile"),
                    new XElement(Ns + "Changes", batch.Select(c => new XElement(Ns + "Change",
                        new XElement(Ns + "Action", c.Action == DnsChangeAction.Upsert ? "UPSERT" : "DELETE"),
                        new XElement(Ns + "ResourceRecordSet",
                            new XElement(Ns + "Name", c.Records.Name + "."),
                            new XElement(Ns + "Type", c.Records.Type),
                            new XElement(Ns + "TTL", c.Records.Ttl),
                            new XElement(Ns + "ResourceRecords", c.Records.Values.Select(v => new XElement(Ns + "ResourceRecord",
                                new XElement(Ns + "Value", c.Records.Type == "TXT" ? Quote(v) : v)))))))))));
            await Call(HttpMethod.Post, "rrset/", request.Declaration + request.ToString(SaveOptions.DisableFormatting), cancellationToken);
        }
    }

    public void Dispose() => aws.Dispose();

    private async Task<string> Call(HttpMethod method, string path, string? xml, CancellationToken cancellationToken)
    {
        var zoneId = configuration["Dns:Route53:HostedZoneId"] is { Length: > 0 } id ? id.Replace("/hostedzone/", "", StringComparison.Ordinal)
            : throw new DnsProviderException("Dns:Provider 'route53' needs Dns:Route53:HostedZoneId (e.g. Z0123456789ABCDEFGHIJ).");
        try
        {
            return await aws.SendAsync(() => new HttpRequestMessage(method, new Uri(aws.BaseUrl, $"/2013-04-01/hostedzone/{zoneId}/{path}"))
            {
                Content = xml is null ? null : new StringContent(xml, Encoding.UTF8, "application/xml"),
            }, cancellationToken);
        }
        catch (AwsException e)
        {
            throw new DnsProviderException($"Route 53 refused the call for zone {zoneId}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Route 53's error bodies: <c>ErrorResponse/Error/Code</c> and <c>Message</c>, or <c>InvalidChangeBatch/Messages</c>.
    /// </summary>
    private static (string? Code, string? Message) ReadError(string body)
    {
        try
        {
            var root = XDocument.Parse(body).Root!;
            if (root.Name.LocalName == "InvalidChangeBatch")
            {
                return ("InvalidChangeBatch", string.Join("; ", root.Descendants().Where(e => e.Name.LocalName == "Message").Select(e => e.Value)));
            }

            var error = root.Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
            return (error?.Elements().FirstOrDefault(e => e.Name.LocalName == "Code")?.Value, error?.Elements().FirstOrDefault(e => e.Name.LocalName == "Message")?.Value);
        }
        catch (System.Xml.XmlException)
        {
            return (null, body.Length > 200 ? body[..200] : body);
        }
    }

    /// <summary>Route 53 returns names with a trailing dot and octal escapes (<c>\052</c> for <c>*</c>).</summary>
    internal static string Normalize(string name)
    {
        var text = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            if (name[i] == '\\' && i + 3 < name.Length && char.IsAsciiDigit(name[i + 1]))
            {
                text.Append((char)Convert.ToInt32(name.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                text.Append(name[i]);
            }
        }

        return text.ToString().TrimEnd('.').ToLowerInvariant();
    }

    /// <summary>A TXT value as Route 53 takes it: one or more quoted strings of at most 255 characters.</summary>
    internal static string Quote(string value) =>
        string.Join(' ', value.Chunk(255).Select(c => "\"" + new string(c).Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\""));

    internal static string Unquote(string value)
    {
        var text = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < value.Length; i++)
        {
            switch (value[i])
            {
                case '"':
                    quoted = !quoted;
                    break;
                case '\\' when i + 1 < value.Length:
                    text.Append(value[++i]);
                    break;
                case ' ' when !quoted:
                    break;
                default:
                    text.Append(value[i]);
                    break;
            }
        }

        return text.ToString();
    }
}
