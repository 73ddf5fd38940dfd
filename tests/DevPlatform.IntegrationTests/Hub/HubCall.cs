namespace DevPlatform.IntegrationTests.Hub;

/// <summary>
/// One call of the scripted sequence, made the same way to each hub. <paramref name="As"/> is whose token it carries
/// ("admin": the hub's admin service token, "none", "bad", or a token saved by an earlier call); <paramref name="Save"/>
/// keeps fields of the answer (<c>alias=field</c>) for later paths (<c>{alias}</c>) and tokens.
/// <paramref name="Statuses"/> lists the codes that are equally right (a start answers 201 or 202 depending on how fast
/// the server comes up); otherwise both hubs must answer the same code. <paramref name="Only"/> names the one hub a
/// clean-up call goes to (uncompared), after a documented difference left the two apart. <paramref name="LastEvent"/>
/// compares only an event stream's last event (a start's progress: each hub says different things on the way to ready).
/// </summary>
public sealed record HubCall(
    string Label, string Method, string Path, string? Body = null, string As = "admin", bool Paginated = false,
    string[]? Save = null, int[]? Statuses = null, string Scheme = "token", string? Only = null, bool LastEvent = false);
