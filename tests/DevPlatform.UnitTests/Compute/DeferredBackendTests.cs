using System.Text.Json;
using DevPlatform.Abstractions;
using DevPlatform.Compute;

namespace DevPlatform.UnitTests.Compute;

public sealed class DeferredBackendTests
{
    [Fact]
    public async Task IsBuiltOnFirstUseOnly_ThenAnswersAsTheBackend_AndDisposesIt()
    {
        var builds = 0;
        var inner = new StrayBackend();
        using (var deferred = new DeferredBackend("kubernetes", () =>
               {
                   builds++;
                   return inner;
               }))
        {
            Assert.Equal("kubernetes", deferred.Name);
            Assert.Equal(0, builds); // a host that never uses it never builds it

            Assert.Equal(inner.Strays, await deferred.StopStraysAsync((_, _) => Task.FromResult<IReadOnlySet<Guid>>(new HashSet<Guid>()), CancellationToken.None));
            await deferred.StopStraysAsync((_, _) => Task.FromResult<IReadOnlySet<Guid>>(new HashSet<Guid>()), CancellationToken.None);
            Assert.Equal(1, builds);
            Assert.False(inner.Disposed);
        }

        Assert.True(inner.Disposed);
    }

    [Fact]
    public void Dispose_OfABackendNeverUsed_DoesNotBuildIt()
    {
        var builds = 0;
        new DeferredBackend("kubernetes", () =>
        {
            builds++;
            return new StrayBackend();
        }).Dispose();
        Assert.Equal(0, builds);
    }

    [Fact]
    public void ForwardsEveryMemberOfTheContract_IncludingThoseWithADefault()
    {
        // A member added to IComputeBackend with a default body would otherwise answer the default for the Kubernetes backend.
        var map = typeof(DeferredBackend).GetInterfaceMap(typeof(IComputeBackend));
        Assert.All(map.TargetMethods, m => Assert.Equal(typeof(DeferredBackend), m.DeclaringType));
    }

    private sealed class StrayBackend : IComputeBackend, IDisposable
    {
        public IReadOnlyList<Guid> Strays { get; } = [Guid.NewGuid()];

        public bool Disposed { get; private set; }

        public string Name => "kubernetes";

        public Task<IReadOnlyList<Guid>> StopStraysAsync(OwnedEnvironments owned, CancellationToken cancellationToken) => Task.FromResult(Strays);

        public void Dispose() => Disposed = true;

        public Task<BackendStart> StartAsync(EnvironmentSpec spec, IProgress<string> progress, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<BackendStatus> PollAsync(EnvironmentSpec spec, JsonElement state, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task StopAsync(EnvironmentSpec spec, JsonElement state, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<BackendUsage?> GetUsageAsync(EnvironmentSpec spec, JsonElement state, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<string> ReadLogsAsync(EnvironmentSpec spec, JsonElement state, int maxBytes, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
