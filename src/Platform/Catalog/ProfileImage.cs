namespace DevPlatform.Catalog;

/// <summary>An image a profile offers. <paramref name="Reference"/> is an OCI reference such as <c>quay.io/jupyter/scipy-notebook:2025-01-06</c>.</summary>
internal sealed record ProfileImage(string Name, string Reference, string? DisplayName = null, bool Default = false);
