using System.Net;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.Runtime.Signing;
using Microsoft.Extensions.Configuration;

namespace DevPlatform.Plugins.Access.Aws;

/// <summary>
/// Calls one AWS service's API with Signature Version 4 (AWSSDK.Core's signing handler; the service packages are not
/// in our registry). Settings in the given section: Region, ServiceUrl (another endpoint, for tests or FIPS),
/// AccessKeyId/SecretAccessKey (else the default chain: IRSA on EKS, environment, profile, instance metadata),
/// RetryBaseMilliseconds. Throttling and "busy" answers are retried with exponential back-off and jitter; other
/// errors become <see cref="AwsException"/> with the service's code and message. Credentials are never logged.
/// </summary>
internal sealed class AwsClient(IConfigurationSection section, string service, string defaultUrl, Func<string, (string? Code, string? Message)> readError) : IDisposable
{
    private const int Attempts = 5;
    private static readonly HashSet<string> Retryable = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "RequestLimitExceeded", "PriorRequestNotComplete", "ServiceUnavailable", "ServiceUnavailableException", "InternalFailure",
    };

    private readonly Lazy<HttpClient> http = new(() => Create(section, service));

    public string Region => section["Region"] is { Length: > 0 } region ? region : "us-east-1";

    public Uri BaseUrl => new(section["ServiceUrl"] is { Length: > 0 } url ? url : defaultUrl.Replace("{region}", Region, StringComparison.Ordinal));

    /// <summary>Sends the request <paramref name="build"/> makes (again on each retry); returns the body of a 2xx answer.</summary>
    public async Task<string> SendAsync(Func<HttpRequestMessage> build, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(int.TryParse(section["RetryBaseMilliseconds"], out var ms) ? ms : 200);
        for (var attempt = 1; ; attempt++)
        {
            using var request = build();
            string body;
            HttpStatusCode status;
            try
            {
                using var response = await http.Value.SendAsync(request, cancellationToken);
                body = await response.Content.ReadAsStringAsync(cancellationToken);
                status = response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    return body;
                }
            }
            catch (HttpRequestException e)
            {
                throw new AwsException(service, null, $"{BaseUrl.Host} could not be reached: {e.Message}", 0);
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new AwsException(service, null, $"{BaseUrl.Host} did not answer within 30 s.", 0);
            }
            catch (AmazonClientException e)
            {
                throw new AwsException(service, "CredentialsUnavailable", $"no AWS credentials could be resolved (set AccessKeyId/SecretAccessKey, or give the hub an IAM role): {e.Message}", 0);
            }

            var (code, message) = readError(body);
            if (attempt < Attempts && (status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable || (code is not null && Retryable.Contains(code))))
            {
                await Task.Delay(delay * Math.Pow(2, attempt - 1) * (1 + (Random.Shared.NextDouble() / 2)), cancellationToken);
                continue;
            }

            throw new AwsException(service, code, message ?? $"HTTP {(int)status}", (int)status);
        }
    }

    public void Dispose()
    {
        if (http.IsValueCreated)
        {
            http.Value.Dispose();
        }
    }

    private static HttpClient Create(IConfigurationSection section, string service)
    {
        AWSCredentials credentials = section["AccessKeyId"] is { Length: > 0 } key
            ? new BasicAWSCredentials(key, section["SecretAccessKey"])
            : DefaultAWSCredentialsIdentityResolver.GetCredentials();
        var region = RegionEndpoint.GetBySystemName(section["Region"] is { Length: > 0 } r ? r : "us-east-1");
        return new HttpClient(new SigV4SigningHandler(credentials, region, service, new SocketsHttpHandler { AllowAutoRedirect = false }))
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
    }
}

/// <summary>An AWS API refused a call: the service's error code (e.g. <c>InvalidChangeBatch</c>) and message.</summary>
internal sealed class AwsException(string service, string? code, string message, int status)
    : Exception($"{service}: {(code is null ? "" : code + ": ")}{message}")
{
    public string? Code { get; } = code;

    public int Status { get; } = status;
}
