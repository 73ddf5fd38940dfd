using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DevPlatform.IntegrationTests.Kubernetes.Schemas;

/// <summary>
/// The validators npm's kubernetes-models, @kubernetes-models/karpenter and @kubernetes-models/prometheus-operator
/// generate from the official OpenAPI documents and CRDs, installed from the registry by <c>npm ci</c> into this
/// folder on first use (package-lock.json pins them) and run by <c>validate.mjs</c> in one long-lived node process.
/// </summary>
public sealed class NpmKubernetesModels : SchemaValidator, IDisposable
{
    private readonly Process node;
    private readonly Lock gate = new();

    private NpmKubernetesModels(Process node) => this.node = node;

    public static NpmKubernetesModels Start(string folder)
    {
        if (!File.Exists(Path.Combine(folder, "node_modules", ".package-lock.json")))
        {
            Run(folder, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error");
        }

        var start = new ProcessStartInfo("node", ["validate.mjs"])
        {
            WorkingDirectory = folder, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        var node = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        node.ErrorDataReceived += (_, _) => { };
        node.BeginErrorReadLine();
        var validator = new NpmKubernetesModels(node);
        var probe = validator.Validate(JsonNode.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"probe"}}""")!);
        return probe.Count == 0 ? validator : throw new InvalidOperationException($"validate.mjs rejected a plain ConfigMap: {string.Join("; ", probe)}");
    }

    public override IReadOnlyList<string> Validate(JsonNode node)
    {
        lock (gate)
        {
            this.node.StandardInput.WriteLine(node.ToJsonString());
            this.node.StandardInput.Flush();
            var answer = this.node.StandardOutput.ReadLine() ?? throw new InvalidOperationException($"the schema validator (node validate.mjs) exited with {(this.node.WaitForExit(5000) ? this.node.ExitCode : "no code")}");
            return JsonSerializer.Deserialize<string[]>(answer) ?? [];
        }
    }

    public void Dispose()
    {
        node.StandardInput.Close();
        node.WaitForExit(5000);
        node.Dispose();
    }

    private static void Run(string folder, string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command, arguments) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{command} did not start");
        var error = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{command} {string.Join(' ', arguments)}' in {folder} exited with {process.ExitCode}: {error.Result.Trim()}");
        }
    }
}
