namespace DevPlatform.Validation;

/// <summary>The request clashes with what exists (a duplicate name, a resource still in use); becomes a 409 problem.</summary>
internal sealed class ResourceConflictException(string message) : Exception(message);
