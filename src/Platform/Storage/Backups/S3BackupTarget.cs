using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace DevPlatform.Storage.Backups;

/// <summary>
/// Snapshots in an S3 bucket (AWSSDK.S3): <c>{Prefix}{user}/{id}.tar.gz</c>, the SHA-256 as object metadata
/// (<c>x-amz-meta-sha256</c>). Credentials come from the default AWS chain (IRSA on EKS, environment, profile) unless
/// an access key is configured.
/// </summary>
internal sealed class S3BackupTarget(BackupOptions.S3Settings settings) : IBackupTarget, IDisposable
{
    private readonly AmazonS3Client s3 = Create(settings);

    public async Task PutAsync(string user, string id, string archive, string sha256, CancellationToken cancellationToken)
    {
        var request = new PutObjectRequest
        {
            BucketName = settings.Bucket, Key = Key(user, id), FilePath = archive, ContentType = "application/gzip",
            UseChunkEncoding = false, // a signed payload hash instead of aws-chunked streaming
        };
        request.Metadata["sha256"] = sha256;
        await s3.PutObjectAsync(request, cancellationToken);
        File.Delete(archive);
    }

    public async Task<IReadOnlyList<HomeBackup>> ListAsync(string user, CancellationToken cancellationToken)
    {
        var backups = new List<HomeBackup>();
        var request = new ListObjectsV2Request { BucketName = settings.Bucket, Prefix = $"{settings.Prefix}{user}/" };
        ListObjectsV2Response page;
        do
        {
            page = await s3.ListObjectsV2Async(request, cancellationToken);
            foreach (var item in (page.S3Objects ?? []).Where(o => o.Key.EndsWith(".tar.gz", StringComparison.Ordinal)))
            {
                var id = item.Key[(request.Prefix.Length)..^".tar.gz".Length];
                var head = await s3.GetObjectMetadataAsync(settings.Bucket, item.Key, cancellationToken);
                backups.Add(new HomeBackup(id, user, DirectoryBackupTarget.TakenAt(id), item.Size ?? 0, head.Metadata["sha256"] ?? ""));
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);

        return backups.OrderByDescending(b => b.TakenAt).ToList();
    }

    public async Task<string> FetchAsync(string user, string id, string file, CancellationToken cancellationToken)
    {
        using var response = await s3.GetObjectAsync(settings.Bucket, Key(user, id), cancellationToken);
        await using (var output = File.Create(file))
        {
            await response.ResponseStream.CopyToAsync(output, cancellationToken);
        }

        return response.Metadata["sha256"] ?? "";
    }

    public async Task DeleteAsync(string user, string id, CancellationToken cancellationToken)
    {
        var response = await s3.DeleteObjectAsync(settings.Bucket, Key(user, id), cancellationToken);
        if (response.HttpStatusCode is not (HttpStatusCode.NoContent or HttpStatusCode.OK))
        {
            throw new IOException($"S3 refused to delete {Key(user, id)}: {response.HttpStatusCode}");
        }
    }

    public void Dispose() => s3.Dispose();

    private string Key(string user, string id) => $"{settings.Prefix}{user}/{id}.tar.gz";

    private static AmazonS3Client Create(BackupOptions.S3Settings settings)
    {
        var config = new AmazonS3Config
        {
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (!string.IsNullOrEmpty(settings.ServiceUrl))
        {
            config.ServiceURL = settings.ServiceUrl;
            config.ForcePathStyle = true;
            config.AuthenticationRegion = settings.Region;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(settings.Region);
        }

        return string.IsNullOrEmpty(settings.AccessKeyId)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(settings.AccessKeyId, settings.SecretAccessKey), config);
    }
}
