using DevPlatform.Validation;

namespace DevPlatform.Hub.Rest;

/// <summary>
/// Every failure under <c>/hub/api</c> in JupyterHub's form (<c>{"status", "message"}</c>), including the
/// refusals of our own services (policy 403/409/402/429, validation 400, unknown 404) with their text.
/// </summary>
internal sealed class HubErrors : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            return await next(context);
        }
        catch (HubApiException e)
        {
            return HubJson.Error(e.Status, e.Message);
        }
        catch (ValidationFailedException e)
        {
            return HubJson.Error(400, string.Join("; ", e.Errors.Select(f => $"{f.Key}: {string.Join(" ", f.Value)}")));
        }
        catch (ResourceNotFoundException e)
        {
            return HubJson.Error(404, e.Message);
        }
        catch (ResourceConflictException e)
        {
            return HubJson.Error(409, e.Message);
        }
        catch (ApiProblemException e)
        {
            if (e.RetryAfter is { } retry)
            {
                context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return HubJson.Error(e.Status, $"{e.Title} {e.Message}");
        }
    }
}
