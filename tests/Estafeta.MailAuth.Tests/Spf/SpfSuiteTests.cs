using Xunit.Abstractions;

namespace Estafeta.MailAuth.Tests.Spf;

/// <summary>Every case of the OpenSPF RFC 7208 suite, one theory case each, and a summary.</summary>
public sealed class SpfSuiteTests(ITestOutputHelper output)
{
    private const string MissingSuite = "(suite file missing)";

    public static IEnumerable<object[]> CaseIds =>
        SpfSuite.Problem is null
            ? SpfSuite.Cases.Select(static c => new object[] { c.Id })
            : [[MissingSuite]];

    [Theory]
    [MemberData(nameof(CaseIds))]
    public async Task Rfc7208_suite_case_gives_the_expected_result(string id)
    {
        Assert.True(SpfSuite.Problem is null, SpfSuite.Problem);
        var outcome = await SpfSuite.RunAsync(SpfSuite.Cases.Single(c => c.Id == id));
        output.WriteLine(outcome.Describe());
        Assert.True(outcome.Passed, outcome.Describe());
    }

    [Fact]
    public async Task Rfc7208_suite_passes_every_case()
    {
        Assert.True(SpfSuite.Problem is null, SpfSuite.Problem);
        var passed = 0;
        foreach (var testCase in SpfSuite.Cases)
        {
            var outcome = await SpfSuite.RunAsync(testCase);
            if (outcome.Passed)
            {
                passed++;
            }
            else
            {
                output.WriteLine("FAILED " + outcome.Describe());
            }
        }

        output.WriteLine($"SPF suite: {passed} of {SpfSuite.Cases.Count} passed");
        Assert.Equal(SpfSuite.ExpectedCaseCount, SpfSuite.Cases.Count);
        Assert.Equal(SpfSuite.Cases.Count, passed);
    }
}
