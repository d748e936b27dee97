namespace Estafeta.Pop3.Tests.Grammar;

/// <summary>Message-number lookups in the TRANSACTION state.</summary>
public sealed class TransactionStateTests
{
    private static TransactionState State(params int[] deleted) =>
        new(new Pop3Principal(1, "alice"), new ListMaildrop(), [.. deleted]);

    [Theory]
    [InlineData("1", 1)]
    [InlineData("3", 3)]
    [InlineData("003", 3)]
    public void Existing_messages_are_found_by_number(string argument, int number)
    {
        Assert.True(State().TryFind(argument, out var found, out var message, out _));
        Assert.Equal(number, found);
        Assert.Equal(100 + number, message.Id);
    }

    [Theory]
    [InlineData("0", "-ERR No such message")]
    [InlineData("4", "-ERR No such message")]
    [InlineData("99999999999", "-ERR No such message")]
    [InlineData("x", "-ERR Invalid message number")]
    [InlineData("-1", "-ERR Invalid message number")]
    [InlineData("", "-ERR Invalid message number")]
    [InlineData("2", "-ERR Message 2 already deleted")]
    public void Bad_numbers_are_refused(string argument, string reply)
    {
        Assert.False(State(2).TryFind(argument, out _, out _, out var error));
        Assert.Equal(reply, error.StatusLine);
        Assert.True(error.CountsAsError);
    }

    [Fact]
    public void Totals_leave_out_deleted_messages()
    {
        Assert.Equal((3, 60L), State().Totals());
        Assert.Equal((1, 30L), State(1, 2).Totals());
    }

    private sealed class ListMaildrop : IMaildrop
    {
        public IReadOnlyList<MaildropMessage> Messages { get; } =
            [new(101, "a", 10), new(102, "b", 20), new(103, "c", 30)];

        public ValueTask<Stream> OpenAsync(MaildropMessage message, CancellationToken ct) => throw new NotSupportedException();
        public ValueTask CommitDeletionsAsync(IReadOnlyList<MaildropMessage> deleted, CancellationToken ct) => throw new NotSupportedException();
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
