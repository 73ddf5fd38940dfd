using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace DevPlatform.AppHost;

/// <summary>
/// The private PostgreSQL as an Aspire executable resource (the server binary itself, no container engine): its port
/// allocated by the orchestrator and given as <c>PGPORT</c>, healthy once it accepts connections and the platform's
/// database exists, and the platform's connection string built from that endpoint.
/// </summary>
internal static class PrivatePostgres
{
    public const string Database = "devplatform";

    public static PlatformDatabase AddPrivatePostgres(this IDistributedApplicationBuilder builder, PostgresCluster cluster, string password, StateLock stateLock, string baseUrl)
    {
        var (command, arguments) = cluster.ServerCommand();
        var healthCheck = "postgres-accepts-connections";
        var server = builder.AddExecutable("postgres", command, cluster.Root, arguments)
            .WithEndpoint(name: "tcp", scheme: "tcp", env: "PGPORT", isProxied: false)
            .WithHealthCheck(healthCheck);
        var endpoint = server.GetEndpoint("tcp");
        var secret = builder.AddParameter("postgres-password", password, secret: true);
        var connectionString = builder.AddConnectionString("database", ReferenceExpression.Create(
            $"Host=127.0.0.1;Port={endpoint.Property(EndpointProperty.Port)};Database={Database};Username=postgres;Password={secret}"));

        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheck, async cancellationToken =>
        {
            if (!endpoint.IsAllocated)
            {
                return HealthCheckResult.Unhealthy("no port allocated yet");
            }

            try
            {
                cluster.UsePort(endpoint.Port);
                await cluster.EnsureDatabaseAsync(Database, password, cancellationToken);
                stateLock.PublishConnectionString(baseUrl, cluster.ConnectionString(Database, password));
                return HealthCheckResult.Healthy();
            }
            catch (NpgsqlException e)
            {
                return HealthCheckResult.Unhealthy(e.Message);
            }
        });
        return new PlatformDatabase(connectionString, server);
    }
}

/// <summary>The platform's connection string, and the server to wait for when it is ours.</summary>
internal sealed record PlatformDatabase(IResourceBuilder<IResourceWithConnectionString> ConnectionString, IResourceBuilder<IResource>? Server);
