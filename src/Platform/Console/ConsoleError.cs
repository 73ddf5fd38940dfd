using DevPlatform.Validation;

namespace DevPlatform.WebConsole;

/// <summary>What went wrong, as a page shows it: a title, a sentence, and messages per form field (the API's problem details, rendered).</summary>
public sealed record ConsoleError(string Title, string Detail, IReadOnlyDictionary<string, string[]> Fields)
{
    /// <summary>The errors the platform's services throw for people to act on; null for anything else (a bug: let it surface).</summary>
    internal static ConsoleError? From(Exception exception) => exception switch
    {
        ValidationFailedException v => new("Please correct these fields.", "", v.Errors.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal)),
        ApiProblemException p => new(p.Title, p.Message, new Dictionary<string, string[]>()),
        ResourceConflictException c => new("Conflict.", c.Message, new Dictionary<string, string[]>()),
        ResourceNotFoundException n => new("Not found.", n.Message, new Dictionary<string, string[]>()),
        _ => null,
    };
}
