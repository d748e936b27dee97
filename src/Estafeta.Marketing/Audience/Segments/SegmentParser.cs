namespace Estafeta.Marketing.Audience;

/// <summary>
/// Recursive-descent parser of the segment language (grammar in docs/segments.md):
/// <c>or := and ("or" and)*</c>, <c>and := unary ("and" unary)*</c>, <c>unary := "not" unary | atom</c>.
/// An expression has limits (<see cref="MaxLength"/>, <see cref="MaxDepth"/>, <see cref="MaxConditions"/>): the parser and the
/// compiler recurse over its tree, and one deep enough (a chain of thousands of "or", or of parentheses) would exhaust the
/// stack and end the whole server; expressions come from API callers.
/// </summary>
internal sealed class SegmentParser
{
    /// <summary>The longest expression, in characters.</summary>
    public const int MaxLength = 4000;

    /// <summary>The deepest nesting of parentheses and "not".</summary>
    public const int MaxDepth = 32;

    /// <summary>The most conditions (comparisons, tag(), list(), exists(), events) in one expression.</summary>
    public const int MaxConditions = 100;

    private int depth;
    private int conditions;

    private static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase) { "and", "or", "not", "in", "true", "false", "contains" };
    private static readonly HashSet<string> Comparisons = new(StringComparer.Ordinal) { "=", "!=", "<", "<=", ">", ">=" };

    private readonly string text;
    private readonly List<SegmentToken> tokens;
    private int next;

    private SegmentParser(string text)
    {
        this.text = text;
        tokens = SegmentLexer.Tokenize(text);
    }

    public static SegmentNode Parse(string expression)
    {
        if (expression.Length > MaxLength)
        {
            throw new SegmentSyntaxException($"the expression is longer than {MaxLength} characters; tag the contacts or save parts as lists instead", MaxLength, expression);
        }

        var parser = new SegmentParser(expression);
        if (parser.Peek.Kind == SegmentTokenKind.End) throw new SegmentSyntaxException("the expression is empty", 0, expression);
        var node = parser.ParseOr();
        if (parser.Peek.Kind != SegmentTokenKind.End)
        {
            throw parser.Error($"unexpected '{parser.Peek.Text}' (expected 'and', 'or' or the end)", parser.Peek);
        }

        return node;
    }

    private SegmentToken Peek => tokens[next];

    private SegmentToken Take() => tokens[next++];

    private bool IsWord(string word) => Peek.Kind == SegmentTokenKind.Identifier && string.Equals(Peek.Text, word, StringComparison.OrdinalIgnoreCase);

    private SegmentSyntaxException Error(string problem, SegmentToken at) => new(problem, at.Position, text);

    private SegmentToken Expect(SegmentTokenKind kind, string what)
    {
        if (Peek.Kind != kind) throw Error($"expected {what}, found {Describe(Peek)}", Peek);
        return Take();
    }

    private static string Describe(SegmentToken t) => t.Kind == SegmentTokenKind.End ? "the end of the expression" : $"'{t.Text}'";

    private SegmentNode ParseOr()
    {
        var left = ParseAnd();
        while (IsWord("or"))
        {
            var at = Take();
            left = new OrNode(left, ParseAnd(), at.Position);
        }

        return left;
    }

    private SegmentNode ParseAnd()
    {
        var left = ParseUnary();
        while (IsWord("and"))
        {
            var at = Take();
            left = new AndNode(left, ParseUnary(), at.Position);
        }

        return left;
    }

    private SegmentNode ParseUnary()
    {
        if (IsWord("not"))
        {
            var at = Take();
            Enter(at);
            var negated = ParseUnary();
            depth--;
            return new NotNode(negated, at.Position);
        }

        return ParseAtom();
    }

    private SegmentNode ParseAtom()
    {
        var token = Peek;
        if (token.Kind == SegmentTokenKind.LeftParen)
        {
            Take();
            Enter(token);
            var inner = ParseOr();
            Expect(SegmentTokenKind.RightParen, "')'");
            depth--;
            return inner;
        }

        if (++conditions > MaxConditions) throw Error($"more than {MaxConditions} conditions in one expression", token);

        if (token.Kind != SegmentTokenKind.Identifier || Keywords.Contains(token.Text))
        {
            throw Error($"expected a field, tag(...), list(...), exists(...) or an event such as opened(...), found {Describe(token)}", token);
        }

        Take();
        var name = token.Text.ToLowerInvariant();
        if (Peek.Kind == SegmentTokenKind.LeftParen)
        {
            return ParseCall(name, token);
        }

        return ParseComparison(name, token);
    }

    private void Enter(SegmentToken at)
    {
        if (++depth > MaxDepth) throw Error($"parentheses and 'not' nested more than {MaxDepth} deep", at);
    }

    private SegmentNode ParseCall(string name, SegmentToken at)
    {
        Take();
        switch (name)
        {
            case "tag":
                var tag = Expect(SegmentTokenKind.String, "a tag in quotes");
                Expect(SegmentTokenKind.RightParen, "')'");
                return new TagNode((string)tag.Value!, at.Position);
            case "list":
                var list = Expect(SegmentTokenKind.String, "a list name in quotes");
                var status = "subscribed";
                if (Peek.Kind == SegmentTokenKind.Comma)
                {
                    Take();
                    ExpectArgument("status");
                    var statusToken = Expect(SegmentTokenKind.String, "a status in quotes");
                    try
                    {
                        status = SubscriptionStatuses.Name(SubscriptionStatuses.Parse((string)statusToken.Value!));
                    }
                    catch (Estafeta.Storage.InvalidInputException e)
                    {
                        throw Error(e.Message, statusToken);
                    }
                }

                Expect(SegmentTokenKind.RightParen, "')'");
                return new ListNode((string)list.Value!, status, at.Position);
            case "exists":
                var field = Expect(SegmentTokenKind.Identifier, "a field name");
                Expect(SegmentTokenKind.RightParen, "')'");
                return new FieldNode(field.Text.ToLowerInvariant(), AsTruth: false, field.Position);
        }

        if (!EngagementKinds.TryParse(name, out var kind))
        {
            throw Error($"'{at.Text}' is not a function (tag, list, exists, opened, clicked, converted, bounced, received)", at);
        }

        return ParseEvent(kind, at);
    }

    private void ExpectArgument(string argument)
    {
        var name = Expect(SegmentTokenKind.Identifier, $"'{argument}:'");
        if (!string.Equals(name.Text, argument, StringComparison.OrdinalIgnoreCase)) throw Error($"expected '{argument}:', found '{name.Text}'", name);
        Expect(SegmentTokenKind.Colon, "':'");
    }

    private EventNode ParseEvent(EngagementKind kind, SegmentToken at)
    {
        TimeSpan? within = null;
        SegmentValue? since = null, before = null;
        string? campaign = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (Peek.Kind != SegmentTokenKind.RightParen)
        {
            if (seen.Count > 0) Expect(SegmentTokenKind.Comma, "',' or ')'");
            var arg = Expect(SegmentTokenKind.Identifier, "an argument (within, since, before, campaign)");
            var argName = arg.Text.ToLowerInvariant();
            if (!seen.Add(argName)) throw Error($"'{argName}' is given twice", arg);
            Expect(SegmentTokenKind.Colon, "':'");
            switch (argName)
            {
                case "within":
                    within = (TimeSpan)Expect(SegmentTokenKind.Duration, "a duration such as 30d").Value!;
                    break;
                case "since":
                    since = ParseValue();
                    break;
                case "before":
                    before = ParseValue();
                    break;
                case "campaign":
                    campaign = (string)Expect(SegmentTokenKind.String, "a campaign name in quotes").Value!;
                    break;
                default:
                    throw Error($"'{arg.Text}' is not an argument of {EngagementKinds.Name(kind)} (within, since, before, campaign)", arg);
            }
        }

        Take();
        var op = ">=";
        var count = 1.0;
        if (Peek.Kind == SegmentTokenKind.Operator && Comparisons.Contains(Peek.Text))
        {
            op = Take().Text;
            count = (double)Expect(SegmentTokenKind.Number, "a count").Value!;
        }

        return new EventNode(kind, within, since, before, campaign, op, count, at.Position);
    }

    private SegmentNode ParseComparison(string field, SegmentToken at)
    {
        if (IsWord("in"))
        {
            Take();
            return new InNode(field, ParseValueList(), at.Position);
        }

        if (IsWord("not"))
        {
            var notToken = Take();
            if (!IsWord("in")) throw Error("expected 'in' after 'not' here", Peek);
            Take();
            return new NotNode(new InNode(field, ParseValueList(), at.Position), notToken.Position);
        }

        if (IsWord("contains"))
        {
            Take();
            return new CompareNode(field, "contains", ParseValue(), at.Position);
        }

        if (Peek.Kind == SegmentTokenKind.Operator && Comparisons.Contains(Peek.Text))
        {
            var op = Take().Text;
            return new CompareNode(field, op, ParseValue(), at.Position);
        }

        return new FieldNode(field, AsTruth: true, at.Position);
    }

    private List<SegmentValue> ParseValueList()
    {
        Expect(SegmentTokenKind.LeftParen, "'(' with the values");
        var values = new List<SegmentValue> { ParseValue() };
        while (Peek.Kind == SegmentTokenKind.Comma)
        {
            Take();
            values.Add(ParseValue());
        }

        Expect(SegmentTokenKind.RightParen, "')'");
        return values;
    }

    private SegmentValue ParseValue()
    {
        var token = Take();
        SegmentValue value = token.Kind switch
        {
            SegmentTokenKind.String => new(SegmentValueKind.String, token.Value, TimeSpan.Zero, token.Position),
            SegmentTokenKind.Number => new(SegmentValueKind.Number, token.Value, TimeSpan.Zero, token.Position),
            SegmentTokenKind.Date => new(SegmentValueKind.Date, token.Value, TimeSpan.Zero, token.Position),
            SegmentTokenKind.Operator when token.Text == "-" && Peek.Kind == SegmentTokenKind.Number =>
                new(SegmentValueKind.Number, -(double)Take().Value!, TimeSpan.Zero, token.Position),
            SegmentTokenKind.Identifier when token.Text.Equals("true", StringComparison.OrdinalIgnoreCase) => new(SegmentValueKind.Boolean, true, TimeSpan.Zero, token.Position),
            SegmentTokenKind.Identifier when token.Text.Equals("false", StringComparison.OrdinalIgnoreCase) => new(SegmentValueKind.Boolean, false, TimeSpan.Zero, token.Position),
            SegmentTokenKind.Identifier when token.Text.ToLowerInvariant() is "now" or "today" => Clock(token),
            _ => throw Error($"expected a value (\"text\", a number, a date such as 2026-01-31, true, false, now() or today()), found {Describe(token)}", token),
        };

        while (Peek.Kind == SegmentTokenKind.Operator && Peek.Text is "+" or "-")
        {
            var sign = Take();
            if (value.Kind is not (SegmentValueKind.Date or SegmentValueKind.Now or SegmentValueKind.Today))
            {
                throw Error("only dates, now() and today() can have a duration added or taken away", sign);
            }

            var span = (TimeSpan)Expect(SegmentTokenKind.Duration, "a duration such as 30d").Value!;
            // Durations added up past TimeSpan's range overflowed; past MaxDuration no date is left to compare with.
            if (Math.Abs(value.Offset.TotalSeconds + (sign.Text == "+" ? span.TotalSeconds : -span.TotalSeconds)) > SegmentLexer.MaxDuration.TotalSeconds)
            {
                throw Error("these durations add up to more than any two dates are apart", sign);
            }

            value = value with { Offset = sign.Text == "+" ? value.Offset + span : value.Offset - span };
        }

        return value;
    }

    private SegmentValue Clock(SegmentToken token)
    {
        Expect(SegmentTokenKind.LeftParen, "'('");
        Expect(SegmentTokenKind.RightParen, "')'");
        return new(token.Text.Equals("now", StringComparison.OrdinalIgnoreCase) ? SegmentValueKind.Now : SegmentValueKind.Today, null, TimeSpan.Zero, token.Position);
    }
}
