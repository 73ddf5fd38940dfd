using Microsoft.EntityFrameworkCore;

// FLOOR=kestrel: an ASP.NET Core host answering /readyz and nothing else; FLOOR=ef (the default): the same host with
// one DbContext over Npgsql that reads a page of the platform's users table once per request.
var builder = WebApplication.CreateBuilder(args);
var withDatabase = Environment.GetEnvironmentVariable("FLOOR") != "kestrel";
if (withDatabase)
{
    builder.Services.AddDbContext<FloorDb>(o => o.UseNpgsql(builder.Configuration.GetConnectionString("Platform")));
}

var app = builder.Build();
app.MapGet("/readyz", () => "ok");
if (withDatabase)
{
    app.MapGet("/users", async (FloorDb db, CancellationToken ct) => await db.Users.OrderBy(u => u.Name).Take(50).ToListAsync(ct));
}

await app.RunAsync();

internal sealed class FloorDb(DbContextOptions<FloorDb> options) : DbContext(options)
{
    public DbSet<FloorUser> Users => Set<FloorUser>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.Entity<FloorUser>(e =>
        {
            e.ToTable("users");
            e.Property(u => u.Id).HasColumnName("id");
            e.Property(u => u.Name).HasColumnName("name");
        });
}

internal sealed record FloorUser(long Id, string Name);
