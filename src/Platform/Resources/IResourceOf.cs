namespace DevPlatform.Resources;

/// <summary>An API representation built from a stored entity.</summary>
internal interface IResourceOf<in TEntity, out TSelf>
    where TSelf : IResourceOf<TEntity, TSelf>
{
    static abstract TSelf From(TEntity entity);
}
