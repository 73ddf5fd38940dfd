using DevPlatform.Api;
using DevPlatform.Validation;

namespace DevPlatform.Resources;

/// <summary>
/// GET /{name}, POST /, PUT /{name}, DELETE /{name} for one kind of named resource, all through its
/// store (validation, audit, 404/409). Lists stay per resource: their filters differ.
/// </summary>
internal static class NamedResourceEndpoints<TStore, TEntity, TSpec, TResource>
    where TStore : NamedResourceStore<TEntity, TSpec>
    where TEntity : class, INamedEntity
    where TSpec : INamedSpec
    where TResource : IResourceOf<TEntity, TResource>
{
    /// <param name="mapGet">False when the resource's own reader answers GET /{name} (one projection shared with its list).</param>
    public static RouteGroupBuilder Map(RouteGroupBuilder api, string path, string singular, bool mapGet = true)
    {
        // Handlers go in as typed delegates: ASP.NET's route-handler analyzer crashes (AD0001) on method
        // groups and lambdas whose parameters are generic type parameters.
        Func<string, TStore, CancellationToken, Task<TResource>> get = GetAsync;
        Func<TSpec, TStore, HttpContext, CancellationToken, Task<IResult>> create = CreateAsync;
        Func<string, TSpec, TStore, HttpContext, CancellationToken, Task<TResource>> replace = ReplaceAsync;
        Func<string, TStore, HttpContext, CancellationToken, Task<IResult>> delete = DeleteAsync;
        var group = api.MapGroup(path).WithTags(singular + "s");
        if (mapGet)
        {
            group.MapGet("/{name}", get).WithName($"Get{singular}");
        }

        group.MapPost("/", create).WithName($"Create{singular}").Produces<TResource>(StatusCodes.Status201Created);
        group.MapPut("/{name}", replace).WithName($"Replace{singular}")
            .WithSummary("Replaces the whole resource; a body equal to what is stored changes nothing.");
        group.MapDelete("/{name}", delete).WithName($"Delete{singular}").Produces(StatusCodes.Status204NoContent);
        return group;
    }

    private static async Task<TResource> GetAsync(string name, TStore store, CancellationToken cancellationToken) =>
        TResource.From(await store.ReadAsync(name, cancellationToken));

    /// <summary>A body of <c>null</c> (or none) binds no spec: 400 naming the body, never a 500.</summary>
    private static TSpec Required(TSpec? spec) => spec ?? throw new ValidationFailedException(new Dictionary<string, string[]>
    {
        ["body"] = ["a JSON object describing the resource is required (it was empty or null)."],
    });

    private static async Task<IResult> CreateAsync(TSpec? spec, TStore store, HttpContext http, CancellationToken cancellationToken)
    {
        var (entity, _) = await store.WriteAsync(WriteMode.Create, null, Required(spec), Actor.Of(http.User), cancellationToken);
        return Results.Created($"{http.Request.Path.Value!.TrimEnd('/')}/{entity.Name}", TResource.From(entity));
    }

    private static async Task<TResource> ReplaceAsync(string name, TSpec? spec, TStore store, HttpContext http, CancellationToken cancellationToken) =>
        TResource.From((await store.WriteAsync(WriteMode.Replace, name, Required(spec), Actor.Of(http.User), cancellationToken)).Entity);

    private static async Task<IResult> DeleteAsync(string name, TStore store, HttpContext http, CancellationToken cancellationToken)
    {
        await store.DeleteAsync(name, Actor.Of(http.User), cancellationToken);
        return Results.NoContent();
    }
}
