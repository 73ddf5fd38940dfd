using System.Diagnostics;
using System.Text.Json;

namespace DevPlatform.Kubernetes.Client;

/// <summary>
/// A kubeconfig <c>exec</c> credential plugin such as <c>aws eks get-token</c>: runs the command with
/// <c>KUBERNETES_EXEC_INFO</c> set, reads the <c>ExecCredential</c> it prints, and keeps the token until its
/// <c>expirationTimestamp</c> (or until a 401). Only bearer tokens are taken from plugins; a plugin that
/// answers with a client certificate is refused with a clear error.
/// </summary>
public sealed class ExecCredentialPlugin(ExecCredentialPlugin.Settings settings, TimeProvider time) : ICredentialSource, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RefreshEarly = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim gate = new(1, 1);
    private (string Token, DateTimeOffset? Expires)? cached;

    /// <param name="ApiVersion">client.authentication.k8s.io/v1 or v1beta1; the answer must carry the same.</param>
    public sealed record Settings(string ApiVersion, string Command, IReadOnlyList<string> Args, IReadOnlyDictionary<string, string> Environment, string? InstallHint);

    public async ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (cached is { } c && (c.Expires is null || c.Expires - RefreshEarly > time.GetUtcNow()))
            {
                return c.Token;
            }

            cached = await RunAsync(cancellationToken);
            return cached.Value.Token;
        }
        finally
        {
            gate.Release();
        }
    }

    public void Invalidate() => cached = null;

    public void Dispose() => gate.Dispose();

    private async Task<(string, DateTimeOffset?)> RunAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(settings.Command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in settings.Args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in settings.Environment)
        {
            start.Environment[name] = value;
        }

        start.Environment["KUBERNETES_EXEC_INFO"] = JsonSerializer.Serialize(new { apiVersion = settings.ApiVersion, kind = "ExecCredential", spec = new { interactive = false } });
        Process process;
        try
        {
            process = Process.Start(start) ?? throw Failure("could not be started");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw Failure($"could not be started ({e.Message})" + (settings.InstallHint is null ? "" : $". {settings.InstallHint}"));
        }

        using (process)
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(Timeout);
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var error = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                throw Failure($"did not answer within {Timeout.TotalSeconds:0} s");
            }

            if (process.ExitCode != 0)
            {
                throw Failure($"exited with {process.ExitCode}: {(await error).Trim()}");
            }

            return Parse(await output);
        }
    }

    private (string, DateTimeOffset?) Parse(string output)
    {
        ExecCredentialAnswer? answer;
        try
        {
            answer = JsonSerializer.Deserialize<ExecCredentialAnswer>(output, KubernetesJson.Options);
        }
        catch (JsonException e)
        {
            throw Failure($"printed something that is not an ExecCredential ({e.Message})");
        }

        if (answer is null || answer.Kind != "ExecCredential" || answer.ApiVersion != settings.ApiVersion)
        {
            throw Failure($"answered {answer?.ApiVersion} {answer?.Kind}; expected {settings.ApiVersion} ExecCredential");
        }

        if (string.IsNullOrEmpty(answer.Status?.Token))
        {
            throw Failure(answer.Status?.ClientCertificateData is null
                ? "answered without a token"
                : "answered with a client certificate; only token-issuing plugins (such as aws eks get-token) are supported");
        }

        return (answer.Status.Token, answer.Status.ExpirationTimestamp);
    }

    private InvalidOperationException Failure(string what) => new($"The kubeconfig exec credential plugin '{settings.Command}' {what}.");

    private sealed record ExecCredentialAnswer(string? ApiVersion, string? Kind, ExecCredentialStatus? Status);

    private sealed record ExecCredentialStatus(string? Token, DateTimeOffset? ExpirationTimestamp, string? ClientCertificateData);
}
