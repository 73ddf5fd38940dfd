using System.Diagnostics;
using DevPlatform.Abstractions;
using DevPlatform.Kubernetes.Compute;

namespace DevPlatform.IntegrationTests.Kubernetes;

/// <summary>
/// The pod's command with package bundles, run by a real /bin/sh as the container would run it: installs first
/// (the argv reaches the installer intact, quotes and all), then execs the workload; a failed install stops it.
/// The installer on PATH is a recording python3, as the image's would be.
/// </summary>
public sealed class BundleInstallTests : IDisposable
{
    private readonly DirectoryInfo root = Directory.CreateTempSubdirectory("devplatform-bundles-");

    public void Dispose() => root.Delete(recursive: true);

    [Fact]
    public async Task TheContainerInstallsEachBundle_ThenExecsTheWorkload()
    {
        var (code, output) = await RunAsync(fail: false);
        Assert.Equal(0, code);
        Assert.Contains("devplatform: installing bundle 'tools' (pip): rich>=13 it's", output, StringComparison.Ordinal);
        Assert.EndsWith("workload on 8888 with [a b]\n", output, StringComparison.Ordinal);
        Assert.Equal(["-m", "pip", "install", "--user", "--no-input", "--disable-pip-version-check", "--progress-bar", "off", "rich>=13", "it's"],
            await File.ReadAllLinesAsync(Path.Combine(root.FullName, "pip-args")));
    }

    [Fact]
    public async Task AFailedInstall_EndsTheContainerBeforeTheWorkloadRuns()
    {
        var (code, output) = await RunAsync(fail: true);
        Assert.Equal(3, code);
        Assert.DoesNotContain("workload on", output, StringComparison.Ordinal);
    }

    private async Task<(int Code, string Output)> RunAsync(bool fail)
    {
        var bin = Directory.CreateDirectory(Path.Combine(root.FullName, "bin")).FullName;
        var shim = Path.Combine(bin, "python3");
        await File.WriteAllTextAsync(shim, "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$HOME/pip-args\"\n[ \"$FAIL\" = 1 ] && exit 3\nexit 0\n");
        File.SetUnixFileMode(shim, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
        var spec = new EnvironmentSpec(Guid.NewGuid(), "ada", "nb", "lab", "jupyter", "cpu", "cpu", "quay.io/jupyter/base-notebook",
            ["sh", "-c", "echo \"workload on $0 with [$1]\"", "{port}", "a b"], new Dictionary<string, string>(),
            new EnvironmentResources(1, 1, 1 << 30, 1 << 30, 0), [new PackageInstall("tools", "pip", ["rich>=13", "it's"])], "/user/ada/nb/", false,
            new Dictionary<string, string>());
        var pod = WorkloadObjects.Pod(spec, new KubernetesOptions());
        KubernetesSchemas.Instance.AssertValid(pod);
        var command = pod.Spec.Containers[0].Command.ToList();

        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        command.Skip(1).ToList().ForEach(start.ArgumentList.Add);
        start.Environment["PATH"] = $"{bin}:/usr/bin:/bin";
        start.Environment["HOME"] = root.FullName;
        start.Environment["FAIL"] = fail ? "1" : "0";
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }
}
