using DevPlatform.Resources;

namespace DevPlatform.Catalog.File;

internal sealed record AppliedChange(string ResourceType, string Name, WriteOutcome Outcome);
