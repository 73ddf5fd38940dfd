using DevPlatform.Validation;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Api;

/// <summary><c>?offset=0&amp;limit=50</c> on every list; limit 1–500.</summary>
internal readonly record struct PageRequest(int? Offset, int? Limit)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public (int Offset, int Limit) Checked()
    {
        var errors = new ValidationErrors();
        if (Offset is < 0)
        {
            errors.Add("offset", $"must be 0 or more; got {Offset}.");
        }

        if (Limit is < 1 or > MaxLimit)
        {
            errors.Add("limit", $"must be between 1 and {MaxLimit}; got {Limit}.");
        }

        errors.ThrowIfAny();
        return (Offset ?? 0, Limit ?? DefaultLimit);
    }

    /// <summary>
    /// The page and how many match in one round trip: the count rides on each row as an uncorrelated subquery, which
    /// PostgreSQL evaluates once. Only a page past the end (no row to carry it) costs a second statement.
    /// </summary>
    public async Task<Page<TOut>> ApplyAsync<TIn, TOut>(IQueryable<TIn> ordered, Func<TIn, TOut> map, CancellationToken cancellationToken)
    {
        var (offset, limit) = Checked();
        var rows = await ordered.Skip(offset).Take(limit).Select(item => new Counted<TIn>(item, ordered.Count())).ToListAsync(cancellationToken);
        var total = rows.Count > 0 ? rows[0].Total : offset == 0 ? 0 : await ordered.CountAsync(cancellationToken);
        return new Page<TOut>(rows.Select(row => map(row.Item)).ToList(), total, offset, limit);
    }

    private sealed record Counted<T>(T Item, int Total);
}
