using System.Linq.Expressions;
using DevPlatform.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

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
    public Task<Page<TOut>> ApplyAsync<TIn, TOut>(
        IQueryable<TIn> ordered, IQueryable<Persistence.RowCount>? kept, Func<TIn, TOut> map, CancellationToken cancellationToken)
    {
        var (offset, limit) = Checked();
        return ReadAsync(ordered.Skip(offset).Take(limit), ordered, kept, map, offset, limit, cancellationToken);
    }

    /// <summary>
    /// As <see cref="ApplyAsync{TIn, TOut}(IQueryable{TIn}, IQueryable{Persistence.RowCount}?, Func{TIn, TOut}, CancellationToken)"/>,
    /// for a big table whose ordering has an index that includes <paramref name="key"/>: past the first page, the page's keys
    /// are found first — a walk of that index alone to the offset — and then only the page's rows are read (and
    /// <paramref name="read"/> projects them), instead of reading every row before the offset in full (for environments,
    /// every row and its JSON, sorted).
    /// </summary>
    public Task<Page<TOut>> ApplyByKeyAsync<TRow, TKey, TIn, TOut>(
        IQueryable<TRow> ordered, Expression<Func<TRow, TKey>> key, Func<IQueryable<TRow>, IQueryable<TIn>> read,
        IQueryable<Persistence.RowCount>? kept, Func<TIn, TOut> map, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(read);
        var (offset, limit) = Checked();
        if (offset == 0)
        {
            return ReadAsync(read(ordered).Take(limit), ordered, kept, map, offset, limit, cancellationToken);
        }

        var keys = ordered.Select(key).Skip(offset).Take(limit);
        // row => keys.Contains(key(row)), with a parameter of its own: key's is already bound inside keys' Select
        var row = Expression.Parameter(typeof(TRow), "row");
        var onPage = Expression.Lambda<Func<TRow, bool>>(Expression.Call(typeof(Queryable), nameof(Queryable.Contains), [typeof(TKey)],
            keys.Expression, ReplacingExpressionVisitor.Replace(key.Parameters[0], row, key.Body)), row);
        return ReadAsync(read(ordered.Where(onPage)), ordered, kept, map, offset, limit, cancellationToken);
    }

    /// <param name="page">The page's rows, in order.</param>
    /// <param name="all">Everything that matches, counted for the total unless <paramref name="kept"/> says it.</param>
    private static async Task<Page<TOut>> ReadAsync<TAll, TIn, TOut>(
        IQueryable<TIn> page, IQueryable<TAll> all, IQueryable<Persistence.RowCount>? kept, Func<TIn, TOut> map, int offset, int limit,
        CancellationToken cancellationToken)
    {
        // LIMIT and OFFSET become numbers in the SQL text: Persistence.LimitsWrittenIntoSql
        var rows = kept is null
            ? await page.Select(item => new Counted<TIn>(item, all.Count())).ToListAsync(cancellationToken)
            : await page.Select(item => new Counted<TIn>(item, (int)kept.Sum(c => c.Delta))).ToListAsync(cancellationToken);
        var total = rows.Count > 0 ? rows[0].Total
            : offset == 0 ? 0
            : kept is null ? await all.CountAsync(cancellationToken) : (int)await kept.SumAsync(c => c.Delta, cancellationToken);
        return new Page<TOut>(rows.Select(row => map(row.Item)).ToList(), total, offset, limit);
    }

    private sealed record Counted<T>(T Item, int Total);
}
