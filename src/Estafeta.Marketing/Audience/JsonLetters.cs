using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace Estafeta.Marketing.Audience;

/// <summary>How the audience's JSON is written for people and programs (the API, JSON-lines exports): letters of any
/// language as themselves ("José", not "Jos\u00E9"), the characters that matter to HTML (&lt; &gt; &amp; ' " + `) still
/// escaped, so a body pasted into a page cannot open a tag. One encoder, so that an erasure looking for an address in
/// stored API answers looks for it exactly as the API wrote it.</summary>
public static class JsonLetters
{
    public static JavaScriptEncoder Encoder { get; } = JavaScriptEncoder.Create(UnicodeRanges.All);

    /// <summary>Default options with that encoder.</summary>
    public static JsonSerializerOptions Options { get; } = new() { Encoder = Encoder };
}
