using System.Linq.Expressions;
using DevPlatform.Api;

namespace DevPlatform.Environments;

/// <summary>An environment as its owner and admins see it.</summary>
internal sealed record EnvironmentResource(
    string Name, string User, string Group, string Profile, string Image, string Size, IReadOnlyList<string> Bundles,
    EnvironmentState State, string Url, string? FailureReason, decimal CpuRequest, long MemoryRequest, int Accelerators, decimal HourlyRate,
    DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? StoppedAt, DateTimeOffset? LastActivityAt)
{
    /// <summary>
    /// The columns the resource shows, and nothing else (no spec, request or backend state): lists select exactly these,
    /// with the spec's parts read from the columns PostgreSQL generates from it.
    /// </summary>
    public static readonly Expression<Func<UserEnvironment, EnvironmentResource>> Projection = e => new EnvironmentResource(
        e.Name, e.OwnerName, e.GroupName, e.ProfileName, e.Image, e.Size, e.Bundles, e.State, e.Url, e.FailureReason, e.CpuRequest,
        e.MemoryRequest, e.Accelerators, e.HourlyRate, e.CreatedAt, e.StartedAt, e.StoppedAt, e.LastActivityAt);

    private static readonly Func<UserEnvironment, EnvironmentResource> FromEntity = Projection.Compile();

    /// <summary>
    /// <see cref="Projection"/> with more of the row beside it, as one expression EF Core translates — e.g. the console's
    /// lists, which also need the id and the cost so far: <c>With((e, resource) =&gt; new Row(e.Id, resource, …))</c>.
    /// </summary>
    public static Expression<Func<UserEnvironment, T>> With<T>(Expression<Func<UserEnvironment, EnvironmentResource, T>> shape)
    {
        var environment = shape.Parameters[0];
        var resource = new Substitution(Projection.Parameters[0], environment).Visit(Projection.Body);
        return Expression.Lambda<Func<UserEnvironment, T>>(new Substitution(shape.Parameters[1], resource).Visit(shape.Body), environment);
    }

    /// <summary>An environment loaded with its user.</summary>
    public static EnvironmentResource From(UserEnvironment e) => Normalized(FromEntity(e));

    /// <summary>The rate as the API shows it (0.1, not 0.100000 as numeric(12,6) reads back).</summary>
    public static EnvironmentResource Normalized(EnvironmentResource resource) => resource with { HourlyRate = Decimals.Normalize(resource.HourlyRate) };
}

/// <summary>Replaces one parameter of an expression by another expression.</summary>
internal sealed class Substitution(ParameterExpression parameter, Expression replacement) : ExpressionVisitor
{
    protected override Expression VisitParameter(ParameterExpression node) => node == parameter ? replacement : base.VisitParameter(node);
}
