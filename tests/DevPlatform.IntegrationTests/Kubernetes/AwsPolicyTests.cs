using System.Text.Json.Nodes;

namespace DevPlatform.IntegrationTests.Kubernetes;

/// <summary>
/// The IAM policy in deploy/aws grants exactly the AWS calls the platform makes (the ones its tests see the fake S3,
/// Route 53 and Transfer Family endpoints receive), each on the narrowest resource, in valid policy grammar.
/// </summary>
public sealed class AwsPolicyTests
{
    /// <summary>
    /// What the code calls: backups (PutObject, HeadObject and GetObject → s3:GetObject, DeleteObject, ListObjectsV2 →
    /// s3:ListBucket), DNS (ListResourceRecordSets, ChangeResourceRecordSets), SFTP (the seven user calls, tags on create
    /// → TagResource, and passing the users' role to Transfer Family).
    /// </summary>
    private static readonly string[] Called =
    [
        "iam:PassRole", "route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets", "s3:DeleteObject", "s3:GetObject", "s3:ListBucket", "s3:PutObject",
        "transfer:CreateUser", "transfer:DeleteSshPublicKey", "transfer:DeleteUser", "transfer:DescribeUser", "transfer:ImportSshPublicKey", "transfer:ListUsers",
        "transfer:TagResource", "transfer:UpdateUser",
    ];

    [Fact]
    public void ThePolicy_GrantsExactlyTheCallsMade_OnNamedResources()
    {
        var policy = JsonNode.Parse(File.ReadAllText(Path.Combine(DeploymentManifestsTests.Repository, "deploy", "aws", "devplatform-policy.json")))!;
        Assert.Equal("2012-10-17", (string?)policy["Version"]);
        var statements = policy["Statement"]!.AsArray();
        var actions = new List<string>();
        foreach (var statement in statements)
        {
            Assert.Equal("Allow", (string?)statement!["Effect"]);
            Assert.Matches("^[A-Za-z0-9]+$", (string?)statement["Sid"] ?? "");
            var resource = (string?)statement["Resource"];
            Assert.StartsWith("arn:aws:", resource, StringComparison.Ordinal);
            Assert.DoesNotContain(":*:", resource!, StringComparison.Ordinal); // no wildcard service, region or account
            actions.AddRange(statement["Action"] is JsonArray list ? list.Select(a => (string)a!) : [(string)statement["Action"]!]);
        }

        Assert.Equal(Called, actions.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(actions, a => a.Contains('*', StringComparison.Ordinal));

        var trust = JsonNode.Parse(File.ReadAllText(Path.Combine(DeploymentManifestsTests.Repository, "deploy", "aws", "devplatform-trust-policy.json")))!;
        Assert.Equal("sts:AssumeRoleWithWebIdentity", (string?)trust["Statement"]![0]!["Action"]);
        Assert.Contains("system:serviceaccount:devplatform:devplatform", trust.ToJsonString(), StringComparison.Ordinal);
    }
}
