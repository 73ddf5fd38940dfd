namespace DevPlatform.Storage.Backups;

/// <summary>A placement refused: a folder on its way is a link or not a folder, or (<see cref="Taken"/>) its name is in use.</summary>
internal sealed class UnsafePlacementException(string message, bool taken = false) : Exception(message)
{
    public bool Taken { get; } = taken;
}
