using System.Net;
using System.Net.Http.Json;
using DevPlatform.Abstractions;
using DevPlatform.Costs;
using DevPlatform.IntegrationTests.Fixtures;
using DevPlatform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DevPlatform.IntegrationTests.Costs;

/// <summary>
/// Hourly rates from the shipped price file against hand-computed cases: an environment costs its share of the node
/// (the largest of CPU, memory and accelerator units) at the capacity type its pool buys.
/// </summary>
public sealed class CostModelTests : AdminApiTest
{
    private const long GiB = 1L << 30;

    protected override async Task SeedAsync()
    {
        object[] pools =
        [
            new { name = "cpu-od", acceleratorKind = "cpu", onDemandHourlyPrice = 0.5m, instanceType = "m6i.2xlarge" },
            new { name = "cpu-spot", acceleratorKind = "cpu", onDemandHourlyPrice = 0.5m, instanceType = "m6i.2xlarge", capacityType = "spot" },
            new { name = "mig", acceleratorKind = "nvidia-mig", onDemandHourlyPrice = 40m, instanceType = "p4d.24xlarge", capacityType = "spot", configuration = new { gpuModel = "a100-40gb", profile = "1g.5gb", gpusPerNode = 8 } },
            new { name = "shared-t4", acceleratorKind = "nvidia-timeslicing", onDemandHourlyPrice = 1m, instanceType = "g4dn.xlarge", configuration = new { gpuModel = "t4", gpusPerNode = 1, replicas = 4 } },
            new { name = "plain-gpu", acceleratorKind = "nvidia-gpu", onDemandHourlyPrice = 1.2m, configuration = new { gpuModel = "a10g", gpusPerNode = 1 } },
        ];
        foreach (var pool in pools)
        {
            await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/pools", pool), HttpStatusCode.Created);
        }
    }

    [Theory]
    [InlineData("cpu-od", 2, 4, 0, 0.096, "0.25 of a m6i.2xlarge, by CPU, at $0.384/h on-demand")] // 2/8 CPU beats 4/32 GiB
    [InlineData("cpu-spot", 2, 4, 0, 0.037, "0.25 of a m6i.2xlarge, by CPU, at $0.148/h spot")] // the file's spot price, not the pool's
    [InlineData("cpu-od", 1, 24, 0, 0.288, "0.75 of a m6i.2xlarge, by memory, at $0.384/h on-demand")] // 24/32 GiB beats 1/8 CPU
    [InlineData("mig", 1, 8, 2, 0.351069, "0.0357 of a p4d.24xlarge, by accelerators, at $9.83/h spot")] // 2 of 8×7 1g.5gb slices: 0.035714 × 9.83
    [InlineData("shared-t4", 0.5, 2, 1, 0.1315, "0.25 of a g4dn.xlarge, by accelerators, at $0.526/h on-demand")] // 1 of 1×4 replicas
    [InlineData("plain-gpu", 4, 16, 1, 1.2, "a whole node of pool 'plain-gpu' at $1.2/h on-demand; the pool names no instance type to take a share of")]
    public async Task HourlyRate_IsTheNodeShareTimesTheCapacityTypesPrice(string pool, double cpu, int memoryGiB, int accelerators, double rate, string basis)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var entity = await scope.ServiceProvider.GetRequiredService<PlatformDbContext>().Pools.SingleAsync(p => p.Name == pool);
        var cost = scope.ServiceProvider.GetRequiredService<CostModel>().RateOf(entity, new EnvironmentResources((decimal)cpu, (decimal)cpu, memoryGiB * GiB, memoryGiB * GiB, accelerators));
        Assert.Equal((decimal)rate, cost.HourlyRate);
        Assert.Equal(basis, cost.Basis);
    }

    [Fact]
    public async Task APoolNamingAnUnpricedInstanceType_IsRefusedNamingTheField()
    {
        var message = await ApiAssert.FieldErrorAsync(await Admin.PostAsJsonAsync("/api/pools",
            new { name = "odd", acceleratorKind = "cpu", onDemandHourlyPrice = 1m, instanceType = "m99.huge" }), "instanceType");
        Assert.Contains("'m99.huge' is not in the price file", message, StringComparison.Ordinal);
        Assert.Contains("m6i.2xlarge", message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync(new Uri("/api/pools/odd", UriKind.Relative))).StatusCode);
    }
}
