using System.Text;
using Estafeta.Smtp.Auth;

namespace Estafeta.Smtp.Tests.Grammar;

public sealed class SaslResponseTests
{
    private static SaslResponse Decode(string line) => SaslResponse.Decode(Encoding.ASCII.GetBytes(line));

    [Theory]
    [InlineData("AGFsaWNlAHNlY3JldA==", "\0alice\0secret")]
    [InlineData("VXNlcm5hbWU6", "Username:")]
    [InlineData("YQ==", "a")]
    [InlineData("=", "")]
    public void Base64_is_decoded(string line, string decoded)
    {
        var response = Decode(line);
        Assert.Equal(SaslResponseKind.Data, response.Kind);
        Assert.Equal(decoded, Encoding.UTF8.GetString(response.Data));
    }

    [Fact]
    public void A_star_cancels() => Assert.Equal(SaslResponseKind.Cancelled, Decode("*").Kind);

    [Theory]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("YQ=")]
    [InlineData("Y===")]
    [InlineData("YWJj*GVm")]
    [InlineData("**")]
    public void Bad_base64_is_reported(string line) => Assert.Equal(SaslResponseKind.BadBase64, Decode(line).Kind);

    [Fact]
    public void The_payload_is_never_shown() =>
        Assert.DoesNotContain("secret", Decode("AGFsaWNlAHNlY3JldA==").ToString(), StringComparison.Ordinal);
}
