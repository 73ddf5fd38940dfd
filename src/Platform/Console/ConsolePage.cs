using Microsoft.AspNetCore.Components;

namespace DevPlatform.WebConsole;

/// <summary>
/// What every console page needs: the request (static server rendering), who is signed in, and a way to run an
/// action that turns the platform's refusals into a message on the page instead of an error page.
/// </summary>
public abstract class ConsolePage : ComponentBase
{
    [CascadingParameter]
    protected HttpContext Http { get; set; } = null!;

    [Inject]
    protected NavigationManager Nav { get; set; } = null!;

    internal ConsoleError? Error { get; set; }

    protected string Me => Http.User.Identity?.Name ?? "";

    protected string Actor => Api.Actor.Of(Http.User);

    protected bool IsAdmin => Http.User.IsInRole(Api.TokenAuthenticationHandler.AdminRole);

    /// <summary>A posted field's value (forms are plain HTML posts).</summary>
    protected string? Form(string name) => Http.Request.HasFormContentType && Http.Request.Form.TryGetValue(name, out var value) ? value.ToString() : null;

    /// <summary>Whether a destructive action was confirmed (by console.js, or on the confirmation step without script).</summary>
    protected bool Confirmed => Form("confirmed") == "yes";

    /// <summary>The destructive form that was submitted without confirmation: it now asks to be pressed again.</summary>
    protected string? Awaiting { get; private set; }

    /// <summary>
    /// True (and the form marked as awaiting) when a destructive action arrived unconfirmed — no script ran to ask; the
    /// page then renders that form with the confirmation filled in and a sentence asking to press it again.
    /// </summary>
    protected bool NeedsConfirmation(string form)
    {
        if (Confirmed)
        {
            return false;
        }

        Awaiting = form;
        return true;
    }

    /// <summary>Runs <paramref name="action"/>; a refusal becomes <see cref="Error"/> and false.</summary>
    protected async Task<bool> TryAsync(Func<Task> action)
    {
        try
        {
            await action();
            Error = null;
            return true;
        }
        catch (Exception e) when (ConsoleError.From(e) is { } error)
        {
            Error = error;
            return false;
        }
    }
}
