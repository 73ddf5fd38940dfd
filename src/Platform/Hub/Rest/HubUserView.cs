using DevPlatform.Environments;
using DevPlatform.Tenancy;

namespace DevPlatform.Hub.Rest;

/// <summary>A user as the JupyterHub models need it: the user, the names of their groups, their environments.</summary>
internal sealed record HubUserView(User User, List<string> Groups, List<UserEnvironment> Environments);
