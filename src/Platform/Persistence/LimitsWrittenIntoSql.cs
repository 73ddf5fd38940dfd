using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace DevPlatform.Persistence;

/// <summary>
/// Writes the numbers of a query's <c>LIMIT</c> and <c>OFFSET</c> into its SQL text, where EF Core sends them as parameters
/// (EF parameterises every <c>Skip</c>/<c>Take</c>, even a literal one).
/// </summary>
/// <remarks>
/// <para>With <c>LIMIT $n</c> PostgreSQL cannot know how many rows a page keeps when it plans a prepared statement once for
/// all executions (its generic plan): it assumes a tenth of the table, the generic plan then always costs more than one
/// planned for the actual numbers, and every execution of a page was planned afresh (0.38 ms of PostgreSQL's time for a
/// page of users). With the numbers in the text the statement is planned once per connection.</para>
/// <para><c>EF.Constant</c> does the same inside EF, but makes EF generate the SQL again on every execution (by design,
/// dotnet/efcore#33674) — that cost the host more than it saved PostgreSQL. Here EF keeps its cached SQL and only the
/// numbers are written in, per command; each distinct (limit, offset) is its own statement text, which Npgsql prepares
/// only once it has run a few times (a walk through every page runs each text once, unprepared).</para>
/// </remarks>
internal sealed partial class LimitsWrittenIntoSql : DbCommandInterceptor
{
    public static readonly LimitsWrittenIntoSql Instance = new();

    private LimitsWrittenIntoSql()
    {
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Write(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Write(command);
        return ValueTask.FromResult(result);
    }

    /// <summary>Replaces each <c>LIMIT @p</c>/<c>OFFSET @p</c> whose parameter holds an integer by the integer; drops the parameters left unused.</summary>
    public static void Write(DbCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var sql = command.CommandText;
        if (!sql.Contains("LIMIT @", StringComparison.Ordinal) && !sql.Contains("OFFSET @", StringComparison.Ordinal))
        {
            return;
        }

        var written = new Dictionary<string, DbParameter>(StringComparer.Ordinal); // by its placeholder in the SQL
        sql = LimitOrOffset().Replace(sql, match =>
        {
            var placeholder = match.Groups["parameter"].Value;
            if (!command.Parameters.Contains(placeholder) || command.Parameters[placeholder].Value is not int number || number < 0)
            {
                return match.Value;
            }

            written[placeholder] = command.Parameters[placeholder];
            return $"{match.Groups["clause"].Value} {number.ToString(CultureInfo.InvariantCulture)}";
        });
        foreach (var unused in written.Where(w => !Regex.IsMatch(sql, Regex.Escape(w.Key) + @"\b", RegexOptions.CultureInvariant)).Select(w => w.Value))
        {
            command.Parameters.Remove(unused);
        }

        command.CommandText = sql;
    }

    [GeneratedRegex(@"\b(?<clause>LIMIT|OFFSET) (?<parameter>@\w+)\b", RegexOptions.CultureInvariant)]
    private static partial Regex LimitOrOffset();
}
