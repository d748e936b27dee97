using System.Text;
using Estafeta.Smtp.Grammar;

namespace Estafeta.Smtp.Tests.Grammar;

public sealed class HeloNameTests
{
    [Theory]
    [InlineData("client.example.test", "client.example.test")]
    [InlineData("[192.0.2.1]", "[192.0.2.1]")]
    [InlineData("  padded  ", "padded")]
    [InlineData("first second", "first")]
    [InlineData("bücher.test", "bücher.test")]
    [InlineData("not_a_hostname", "not_a_hostname")]
    public void The_first_word_is_taken(string argument, string name)
    {
        Assert.True(HeloName.TryParse(Encoding.UTF8.GetBytes(argument), out var parsed));
        Assert.Equal(name, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("a\u0001b")]
    [InlineData("\u0085client.example.test")]
    public void Empty_or_unprintable_names_are_refused(string argument) =>
        Assert.False(HeloName.TryParse(Encoding.UTF8.GetBytes(argument), out _));

    [Fact]
    public void Names_over_255_bytes_are_refused() =>
        Assert.False(HeloName.TryParse(Encoding.ASCII.GetBytes(new string('h', 256)), out _));
}
