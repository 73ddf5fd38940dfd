namespace DevPlatform.Catalog;

internal enum PackageManager
{
    Pip,
    Conda,
}
