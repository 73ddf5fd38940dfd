using System.Text.Json;
using System.Text.Json.Nodes;
using DevPlatform.Api;
using DevPlatform.Catalog.File;
using DevPlatform.Hosting;
using Microsoft.Extensions.Options;

namespace DevPlatform.Costs;

/// <summary>
/// Instance types and their prices from the price file (<c>Pricing:File</c>), re-read when the file changes so an
/// admin can refresh it from the AWS price list by hand without a restart. A file that does not parse stops
/// start-up with the reason; a bad edit later keeps the last good prices and logs why.
/// </summary>
internal sealed class PriceList(IOptions<PricingOptions> options, ILogger<PriceList> logger)
{
    private readonly Lock gate = new();
    private (DateTime Written, IReadOnlyDictionary<string, InstancePrice> Types, string? Region) current = (DateTime.MinValue, new Dictionary<string, InstancePrice>(), null);

    public string Path => System.IO.Path.IsPathRooted(options.Value.File) ? options.Value.File : System.IO.Path.Combine(AppContext.BaseDirectory, options.Value.File);

    public string? Region => Load().Region;

    public IReadOnlyDictionary<string, InstancePrice> InstanceTypes => Load().Types;

    public InstancePrice? Find(string? instanceType) => instanceType is not null && InstanceTypes.TryGetValue(instanceType, out var price) ? price : null;

    /// <summary>Reads the file now; throws <see cref="StartupException"/> when it exists but is not valid.</summary>
    public void Check()
    {
        if (System.IO.File.Exists(Path))
        {
            lock (gate)
            {
                current = Read(System.IO.File.GetLastWriteTimeUtc(Path));
            }
        }
    }

    private (DateTime Written, IReadOnlyDictionary<string, InstancePrice> Types, string? Region) Load()
    {
        lock (gate)
        {
            var written = System.IO.File.Exists(Path) ? System.IO.File.GetLastWriteTimeUtc(Path) : DateTime.MinValue;
            if (written != current.Written)
            {
                try
                {
                    current = written == DateTime.MinValue ? (written, new Dictionary<string, InstancePrice>(), null) : Read(written);
                    logger.LogInformation("Price file {Path} loaded: {Count} instance types", Path, current.Types.Count);
                }
                catch (StartupException e)
                {
                    logger.LogError("Price file {Path} was not reloaded, the previous prices stay: {Reason}", Path, e.Message);
                    current = current with { Written = written };
                }
            }

            return current;
        }
    }

    private (DateTime, IReadOnlyDictionary<string, InstancePrice>, string?) Read(DateTime written)
    {
        JsonNode? root;
        try
        {
            using var reader = new StreamReader(Path);
            root = YamlToJson.Convert(reader).Root;
        }
        catch (Exception e) when (e is YamlDotNet.Core.YamlException or IOException)
        {
            throw new StartupException($"The price file {Path} could not be read: {e.Message}");
        }

        var types = new Dictionary<string, InstancePrice>(StringComparer.Ordinal);
        if (root?["instanceTypes"] is not JsonObject listed)
        {
            throw new StartupException($"The price file {Path} has no 'instanceTypes' map (instance type → vcpu, memoryGiB, onDemand, spot).");
        }

        foreach (var (name, entry) in listed)
        {
            InstancePrice? price;
            try
            {
                price = entry.Deserialize<InstancePrice>(PlatformJson.Options);
            }
            catch (JsonException e)
            {
                throw new StartupException($"The price file {Path}: instanceTypes.{name}: {e.Message}");
            }

            if (price is null || price.Vcpu <= 0 || price.MemoryGiB <= 0 || price.OnDemand < 0 || price.Spot < 0)
            {
                throw new StartupException($"The price file {Path}: instanceTypes.{name} needs vcpu > 0, memoryGiB > 0, onDemand ≥ 0 and, if given, spot ≥ 0.");
            }

            types[name] = price;
        }

        return (written, types, (string?)root["region"]);
    }
}
