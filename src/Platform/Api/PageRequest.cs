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
    public Task<Page<TOut>> ApplyAsync<TIn, TOut>(IQueryable<TIn> ordered, Func<TIn, TOut> map, CancellationToken cancellationToken) =>
        ApplyAsync(ordered, null, map, cancellationToken);

    /// <param name="kept">
    /// When not null, how many match as the triggers keep it (<see cref="Persistence.KeptCounts"/>, for a list filtered by
    /// nothing else), summed instead of counting <paramref name="ordered"/>: the same number, without reading every row.
    /// </param>
    public async Task<Page<TOut>> ApplyAsync<TIn, TOut>(
        IQueryable<TIn> ordered, IQueryable<Persistence.RowCount>? kept, Func<TIn, TOut> map, CancellationToken cancellationToken)
    {
        var (offset, limit) = Checked();
        var page = ordered.Skip(offset).Take(limit); // the numbers end up in the SQL text: Persistence.LimitsWrittenIntoSql
        var rows = kept is null
            ? await page.Select(item => new Counted<TIn>(item, ordered.Count())).ToListAsync(cancellationToken)
            : await page.Select(item => new Counted<TIn>(item, (int)kept.Sum(c => c.Delta))).ToListAsync(cancellationToken);
        var total = rows.Count > 0 ? rows[0].Total
            : offset == 0 ? 0
            : kept is null ? await ordered.CountAsync(cancellationToken) : (int)await kept.SumAsync(c => c.Delta, cancellationToken);
        return new Page<TOut>(rows.Select(row => map(row.Item)).ToList(), total, offset, limit);
    }

    private sealed record Counted<T>(T Item, int Total);
}
