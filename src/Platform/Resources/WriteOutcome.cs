namespace DevPlatform.Resources;

internal enum WriteOutcome
{
    Created,
    Updated,
    Unchanged,
}
