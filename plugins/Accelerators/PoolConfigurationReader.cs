using System.Text.Json;
using System.Text.RegularExpressions;
using DevPlatform.Abstractions;

namespace DevPlatform.Plugins.Accelerators;

/// <summary>Checks a pool's configuration object field by field, collecting every problem, and rejects fields it does not know.</summary>
internal sealed partial class PoolConfigurationReader(JsonElement configuration, params string[] knownFields)
{
    private readonly List<ConfigurationError> errors = [];

    [GeneratedRegex("^[a-z0-9]+[a-z0-9-]*\\.[a-z0-9]+[a-z0-9.-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex InstanceType();

    public IReadOnlyList<ConfigurationError> Errors
    {
        get
        {
            foreach (var property in configuration.EnumerateObject().Where(p => !knownFields.Contains(p.Name, StringComparer.Ordinal)))
            {
                errors.Add(new ConfigurationError(property.Name, $"is not a setting of this accelerator kind; known settings: {string.Join(", ", knownFields)}."));
            }

            return errors;
        }
    }

    /// <summary>An optional list of EC2 instance types such as <c>m7i.2xlarge</c>.</summary>
    public void InstanceTypes(string field)
    {
        if (!configuration.TryGetProperty(field, out var value))
        {
            return;
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
        {
            errors.Add(new ConfigurationError(field, "must be a non-empty list of EC2 instance types, e.g. [\"m7i.2xlarge\"]."));
            return;
        }

        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || !InstanceType().IsMatch(item.GetString()!))
            {
                errors.Add(new ConfigurationError($"{field}[{i}]", $"{item} is not an EC2 instance type such as \"m7i.2xlarge\"."));
            }

            i++;
        }
    }

    /// <summary>A whole number in a range; required unless a default applies.</summary>
    public void Integer(string field, int min, int max, bool required)
    {
        if (!configuration.TryGetProperty(field, out var value))
        {
            if (required)
            {
                errors.Add(new ConfigurationError(field, $"is required: a whole number from {min} to {max}."));
            }

            return;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number) || number < min || number > max)
        {
            errors.Add(new ConfigurationError(field, $"must be a whole number from {min} to {max}; got {value}."));
        }
    }

    /// <summary>An optional Kubernetes quantity such as <c>1000</c> or <c>4Ti</c> (a pool-wide limit).</summary>
    public void Quantity(string field)
    {
        if (configuration.TryGetProperty(field, out var value) && (value.ValueKind != JsonValueKind.String || !ResourceQuantity.TryParse(value.GetString(), out _)))
        {
            errors.Add(new ConfigurationError(field, $"must be a Kubernetes quantity such as \"1000\" or \"4Ti\"; got {value}."));
        }
    }

    /// <summary>A string from a fixed set.</summary>
    public void OneOf(string field, IReadOnlyCollection<string> allowed, bool required)
    {
        if (!configuration.TryGetProperty(field, out var value))
        {
            if (required)
            {
                errors.Add(new ConfigurationError(field, $"is required: one of {string.Join(", ", allowed)}."));
            }

            return;
        }

        if (value.ValueKind != JsonValueKind.String || !allowed.Contains(value.GetString()!))
        {
            errors.Add(new ConfigurationError(field, $"must be one of {string.Join(", ", allowed)}; got {value}."));
        }
    }
}
