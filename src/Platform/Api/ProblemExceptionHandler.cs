using System.Text.Json;
using DevPlatform.Validation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace DevPlatform.Api;

/// <summary>
/// Turns every failure into RFC 7807 problem details: rule violations 400 (one entry per field),
/// unknown names 404, clashes 409, unreadable JSON 400 naming the path. Never a stack trace.
/// </summary>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails problem = exception switch
        {
            ValidationFailedException v => new HttpValidationProblemDetails(v.Errors)
            {
                Status = 400, Title = "One or more fields are invalid.", Detail = "Nothing was stored; correct the fields listed under 'errors'.",
            },
            ResourceNotFoundException n => new ProblemDetails { Status = 404, Title = $"Unknown {n.ResourceType}.", Detail = n.Message },
            ApiProblemException p => ToProblem(p, httpContext),
            ResourceConflictException c => new ProblemDetails { Status = 409, Title = "Conflict.", Detail = c.Message },
            BadHttpRequestException { InnerException: JsonException json } => BadJson(json),
            BadHttpRequestException bad => new ProblemDetails { Status = bad.StatusCode, Title = "Bad request.", Detail = bad.Message },
            DbUpdateConcurrencyException => new ProblemDetails
            {
                Status = 409, Title = "Conflict.", Detail = "Another request (perhaps on another replica) changed it at the same time; nothing was stored. Reload it and try again.",
            },
            DbUpdateException { InnerException: PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } } =>
                new ProblemDetails { Status = 409, Title = "Conflict.", Detail = "A resource with that name was created at the same time; it already exists." },
            _ => Unexpected(exception),
        };
        httpContext.Response.StatusCode = problem.Status ?? 500;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    private static ProblemDetails ToProblem(ApiProblemException exception, HttpContext httpContext)
    {
        if (exception.RetryAfter is { } retryAfter)
        {
            httpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var problem = new ProblemDetails { Status = exception.Status, Title = exception.Title, Detail = exception.Message };
        foreach (var (key, value) in exception.Extensions)
        {
            problem.Extensions[key] = value;
        }

        return problem;
    }

    private static HttpValidationProblemDetails BadJson(JsonException json)
    {
        var field = json.Path is { Length: > 1 } path ? path.TrimStart('$').TrimStart('.') : "body";
        var reason = JsonErrorText.Explain(json);
        return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [reason] })
        {
            Status = 400, Title = "The request body is not valid JSON for this resource.", Detail = $"At {json.Path ?? "$"}: {reason}",
        };
    }

    private ProblemDetails Unexpected(Exception exception)
    {
        logger.LogError(exception, "Unhandled error: {Message}", exception.Message);
        return new ProblemDetails { Status = 500, Title = "Internal error.", Detail = "The error was logged; try again or ask an operator." };
    }
}
