namespace DevPlatform.Kubernetes.Cluster;

/// <summary>Configuration section <c>Kubernetes:Cluster</c>: what the rendered Karpenter objects need to know about the EKS cluster.</summary>
public sealed class ClusterSettings
{
    public const string Section = "Kubernetes:Cluster";

    /// <summary>Subnets and security groups are found by the tag <c>karpenter.sh/discovery: {ClusterName}</c>.</summary>
    public string ClusterName { get; set; } = "devplatform";

    /// <summary>The IAM role Karpenter's nodes assume.</summary>
    public string NodeRole { get; set; } = "KarpenterNodeRole-devplatform";

    /// <summary>EC2NodeClass amiSelectorTerms alias; al2023 picks the NVIDIA and Neuron variants for accelerated instances.</summary>
    public string AmiAlias { get; set; } = "al2023@latest";

    /// <summary>Nodes are replaced after this long (Karpenter expireAfter).</summary>
    public string ExpireAfter { get; set; } = "720h";

    /// <summary>How long a node must be empty or underused before Karpenter consolidates it.</summary>
    public string ConsolidateAfter { get; set; } = "10m";

    public int RootVolumeGi { get; set; } = 100;
}
