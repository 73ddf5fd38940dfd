namespace DevPlatform.Catalog;

/// <summary>How a pool buys its nodes (Karpenter's <c>karpenter.sh/capacity-type</c>).</summary>
internal enum CapacityType
{
    OnDemand,
    Spot,
}
