namespace DevPlatform.Catalog;

/// <summary>What a profile runs, which decides its default command and how it is proxied.</summary>
internal enum ProfileKind
{
    /// <summary>jupyterhub-singleuser, speaking the JupyterHub single-user protocol.</summary>
    Jupyter,

    /// <summary>code-server (VS Code); it cannot serve under a prefix, so the proxy strips it.</summary>
    Vscode,

    /// <summary>Any HTTP workload serving under its base URL; its command is required.</summary>
    Custom,
}
