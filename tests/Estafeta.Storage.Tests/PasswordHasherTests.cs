namespace Estafeta.Storage.Tests;

public sealed class PasswordHasherTests
{
    [Fact]
    public void Hash_verifies_the_right_password_only()
    {
        var hash = PasswordHasher.Hash("contraseña", iterations: 1000);

        Assert.True(PasswordHasher.Verify("contraseña", hash));
        Assert.False(PasswordHasher.Verify("contrasena", hash));
        Assert.False(PasswordHasher.Verify("", hash));
    }

    [Fact]
    public void Same_password_hashes_differently_each_time()
    {
        Assert.NotEqual(PasswordHasher.Hash("pw", 1000), PasswordHasher.Hash("pw", 1000));
    }

    [Fact]
    public void Iteration_count_is_read_from_the_hash()
    {
        var hash = PasswordHasher.Hash("pw", iterations: 1234);

        Assert.StartsWith("$pbkdf2-sha256$i=1234$", hash, StringComparison.Ordinal);
        Assert.True(PasswordHasher.Verify("pw", hash));
        Assert.False(PasswordHasher.Verify("pw", hash.Replace("i=1234", "i=1235", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain")]
    [InlineData("$pbkdf2-sha256$i=1000$AAAA")]
    [InlineData("$pbkdf2-sha256$i=x$AAAA$AAAA")]
    [InlineData("$pbkdf2-sha256$i=0$AAAA$AAAA")]
    [InlineData("$pbkdf2-sha256$i=1000$!!!$AAAA")]
    [InlineData("$bcrypt$i=1000$AAAA$AAAA")]
    public void Unreadable_hash_never_verifies(string stored)
    {
        Assert.False(PasswordHasher.Verify("pw", stored));
    }
}
