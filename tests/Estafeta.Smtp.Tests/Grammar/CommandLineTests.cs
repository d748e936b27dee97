using System.Text;
using Estafeta.Smtp.Session;

namespace Estafeta.Smtp.Tests.Grammar;

public sealed class CommandLineTests
{
    [Theory]
    [InlineData("MAIL FROM:<a@b.test>", "MAIL", "FROM:<a@b.test>")]
    [InlineData("mail FROM:<a@b.test>", "MAIL", "FROM:<a@b.test>")]
    [InlineData("QUIT", "QUIT", "")]
    [InlineData("DATA   ", "DATA", "")]
    [InlineData("NOOP hello there ", "NOOP", "hello there")]
    [InlineData("StartTLS", "STARTTLS", "")]
    public void The_verb_is_upper_cased_and_the_argument_kept(string line, string verb, string argument)
    {
        var command = CommandLine.Parse(Encoding.ASCII.GetBytes(line));
        Assert.Equal(verb, command.Verb);
        Assert.Equal(argument, Encoding.ASCII.GetString(command.Argument.Span));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" MAIL")]
    [InlineData("MA1L FROM:<a@b.test>")]
    [InlineData("ABCDEFGHIJKLMNOPQ")]
    [InlineData("MAÍL")]
    public void Non_words_have_no_verb(string line) =>
        Assert.Null(CommandLine.Parse(Encoding.UTF8.GetBytes(line)).Verb);
}
