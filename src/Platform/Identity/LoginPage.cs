using System.Text.Encodings.Web;

namespace DevPlatform.Identity;

/// <summary>The sign-in page: server-rendered, no scripts, a link per identity provider, the dev login form when it is on.</summary>
internal static class LoginPage
{
    public sealed record ProviderLink(string DisplayName, string Path);

    public static string Render(string next, string antiforgeryField, string antiforgeryToken, bool devLogin, IReadOnlyList<ProviderLink> providers, string? error)
    {
        var html = HtmlEncoder.Default;
        var query = next == "/" ? string.Empty : $"?next={Uri.EscapeDataString(next)}";
        var links = string.Concat(providers.Select(p => $"<a class=\"provider\" href=\"{html.Encode(p.Path + query)}\">Sign in with {html.Encode(p.DisplayName)}</a>"));
        var devForm = devLogin
            ? $"""
              <p class="banner" role="status">Dev login is on: anyone who can reach this address can sign in as any user.</p>
              <form method="post" action="/hub/login">
                <input type="hidden" name="{html.Encode(antiforgeryField)}" value="{html.Encode(antiforgeryToken)}">
                <input type="hidden" name="next" value="{html.Encode(next)}">
                <label for="username">Username</label>
                <input id="username" name="username" autocomplete="username" required pattern="[a-z0-9]([-a-z0-9]*[a-z0-9])?" maxlength="63" autofocus>
                <button type="submit">Sign in</button>
              </form>
              """
            : providers.Count == 0 ? "<p>No sign-in provider is enabled on this hub. An operator sets Auth:Providers.</p>" : string.Empty;
        var message = error is null ? string.Empty : $"<p class=\"error\" role=\"alert\">{html.Encode(error)}</p>";
        return $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Sign in · DevPlatform</title>
            <style>body{"{"}font:16px system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem;color:#1b1b1b{"}"}
            label,input,button{"{"}display:block;width:100%;margin:.4rem 0;font:inherit{"}"}input{"{"}padding:.5rem{"}"}
            button{"{"}padding:.6rem;background:#0b57d0;color:#fff;border:0;border-radius:4px{"}"}
            .provider{"{"}display:block;padding:.6rem;margin:.4rem 0;border:1px solid #0b57d0;border-radius:4px;text-align:center;color:#0b57d0;text-decoration:none{"}"}
            .banner{"{"}background:#fff4ce;padding:.6rem;border-left:4px solid #b58100{"}"}.error{"{"}color:#b3261e{"}"}</style></head>
            <body><main><h1>Sign in to DevPlatform</h1>{message}{links}{devForm}</main></body></html>
            """;
    }
}
