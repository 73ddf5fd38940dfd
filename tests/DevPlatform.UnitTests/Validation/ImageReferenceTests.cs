using DevPlatform.Validation;

namespace DevPlatform.UnitTests.Validation;

public sealed class ImageReferenceTests
{
    [Theory]
    [InlineData("ubuntu")]
    [InlineData("quay.io/jupyter/scipy-notebook:2025-01-06")]
    [InlineData("localhost:5000/lab/image_name__x:v1.2")]
    [InlineData("123456789012.dkr.ecr.us-east-1.amazonaws.com/team/env@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("[::1]:5000/app:latest")]
    public void IsValid_OciReferences_Accepted(string reference) => Assert.True(ImageReference.IsValid(reference));

    [Theory]
    [InlineData("")]
    [InlineData("ubuntu; rm -rf /")]
    [InlineData("quay.io/Jupyter/scipy:1")]
    [InlineData("image:$(id)")]
    [InlineData("image:-leadingdash")]
    [InlineData("../etc/passwd")]
    [InlineData("image@sha256:short")]
    [InlineData("a//b")]
    public void IsValid_Malformed_Refused(string reference) => Assert.False(ImageReference.IsValid(reference));
}
