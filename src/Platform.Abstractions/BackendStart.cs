using System.Text.Json;

namespace DevPlatform.Abstractions;

/// <param name="Endpoint">Where the proxy sends requests, e.g. <c>http://127.0.0.1:41234</c>.</param>
/// <param name="State">Opaque to the platform; persisted and handed back to poll, stop, usage and logs.</param>
public sealed record BackendStart(Uri Endpoint, JsonElement State);
