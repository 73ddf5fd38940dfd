namespace DevPlatform.Persistence;

/// <summary>
/// One change to how many rows a table has under a key (users by admin, memberships by group id, audit events by resource
/// type): appended by PostgreSQL's triggers (migration RowCounts), folded by the row-counts job; read-only here. A key's
/// rows sum to its count. See <see cref="KeptCounts"/>.
/// </summary>
internal sealed class RowCount
{
    public long Id { get; set; }

    public required string TableName { get; set; }

    public required string Key { get; set; }

    public long Delta { get; set; }
}
