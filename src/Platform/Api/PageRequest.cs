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

    public async Task<Page<TOut>> ApplyAsync<TIn, TOut>(IQueryable<TIn> ordered, Func<TIn, TOut> map, CancellationToken cancellationToken)
    {
        var (offset, limit) = Checked();
        var total = await ordered.CountAsync(cancellationToken);
        var items = await ordered.Skip(offset).Take(limit).ToListAsync(cancellationToken);
        return new Page<TOut>(items.Select(map).ToList(), total, offset, limit);
    }
}
