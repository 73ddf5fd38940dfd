using DevPlatform.Abstractions;

namespace DevPlatform.Validation;

internal static class QuantityRules
{
    /// <summary>A positive Kubernetes quantity; returns it parsed, or null after adding the error.</summary>
    public static ResourceQuantity? CheckQuantity(this ValidationErrors errors, string field, string? text, string example, bool required = true)
    {
        if (string.IsNullOrEmpty(text))
        {
            if (required)
            {
                errors.Add(field, $"is required: a Kubernetes quantity such as '{example}'.");
            }

            return null;
        }

        if (!ResourceQuantity.TryParse(text, out var quantity))
        {
            errors.Add(field, $"'{NameRules.Shorten(text)}' is not a Kubernetes quantity; write e.g. '{example}' (suffixes m, k, M, G, T, Ki, Mi, Gi, Ti).");
            return null;
        }

        if (quantity.Value <= 0)
        {
            errors.Add(field, $"must be positive; '{text}' is zero.");
            return null;
        }

        return quantity;
    }

    /// <summary>Limits at or above requests: <c>memoryLimit 2Gi is less than memoryRequest 4Gi</c>.</summary>
    public static void CheckLimitNotBelowRequest(this ValidationErrors errors, string limitField, ResourceQuantity? limit, string requestField, ResourceQuantity? request)
    {
        if (limit is { } l && request is { } r && l.Value < r.Value)
        {
            errors.Add(limitField, $"{l.Text} is less than {requestField} {r.Text}; a limit must be at least the request — raise {limitField} or lower {requestField}.");
        }
    }
}
