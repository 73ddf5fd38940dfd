namespace DevPlatform.Resources;

internal enum WriteMode
{
    /// <summary>POST: the name must be new (409 otherwise).</summary>
    Create,

    /// <summary>PUT: the name must exist (404 otherwise).</summary>
    Replace,

    /// <summary>The catalog file: create or replace, whichever applies.</summary>
    Upsert,
}
