using System.Buffers;
using Estafeta.Net;
using Estafeta.Testing;

namespace Estafeta.Smtp.Tests.Fuzz;

/// <summary>The DATA decoder fed random bodies in random splits: it agrees with the line-by-line reference
/// on the body, where the terminator ends, the length and the flags, whatever the split and the limit.</summary>
public sealed class DotStreamDecoderFuzzTests
{
    [Fact]
    public void Random_bodies_in_random_splits_decode_as_the_reference_does()
    {
        Fuzzing.Run(5322, 3000, r => Fuzzing.Show(Input(r)), random =>
        {
            var input = Input(random);
            var expected = DotStuffing.Decode(input);
            var maxSize = random.Chance(0.2) ? random.Next(0, 200) : long.MaxValue;

            var decoder = new DotStreamDecoder(maxSize);
            var output = new ArrayBufferWriter<byte>();
            var consumed = 0;
            var done = false;
            for (var offset = 0; offset < input.Length && !done;)
            {
                var size = Math.Min(input.Length - offset, random.Chance(0.5) ? random.Next(1, 4) : random.Next(1, 64));
                done = decoder.Decode(input.AsSpan(offset, size), output, out var used);
                Assert.InRange(used, 0, size);
                if (!done) Assert.Equal(size, used);
                consumed += used;
                offset += size;
            }

            Assert.Equal(expected is not null, done);
            if (expected is null) return;
            Assert.Equal(expected.Consumed, consumed);
            Assert.Equal(expected.Body.Length, decoder.Length);
            Assert.Equal(expected.Body.Length > maxSize, decoder.Exceeded);
            Assert.Equal(expected.BareLineBreaks, decoder.BareLineBreaks);
            if (decoder.Exceeded)
            {
                Assert.True(expected.Body.AsSpan().StartsWith(output.WrittenSpan), "what was kept before the limit is the start of the body");
                return;
            }
            Assert.Equal(Fuzzing.Show(expected.Body), Fuzzing.Show(output.WrittenSpan.ToArray()));
            Assert.Equal(expected.Body.Any(b => b >= 0x80), decoder.EightBit);
        });
    }

    [Fact]
    public void A_body_stuffed_by_the_client_is_stored_as_it_was()
    {
        Fuzzing.Run(2920, 2000, r => Fuzzing.Show(DotStuffing.CrlfOnly(DotStuffing.RandomBody(r))), random =>
        {
            // RFC 5321 §4.5.2 for a body whose lines all end in CRLF: what the client stuffs, the server unstuffs.
            var body = DotStuffing.CrlfOnly(DotStuffing.RandomBody(random));
            var wire = DotStuffing.Stuff(body);
            var decoder = new DotStreamDecoder(long.MaxValue);
            var output = new ArrayBufferWriter<byte>();
            Assert.True(decoder.Decode(wire, output, out var consumed));
            Assert.Equal(wire.Length, consumed);
            Assert.False(decoder.BareLineBreaks);
            var expected = body.Length == 0 || body.AsSpan().EndsWith("\r\n"u8) ? body : [.. body, .. "\r\n"u8.ToArray()];
            Assert.Equal(Fuzzing.Show(expected), Fuzzing.Show(output.WrittenSpan.ToArray()));
        });
    }

    /// <summary>A random body, mostly with a terminator somewhere after it, sometimes with none.</summary>
    private static byte[] Input(Random random)
    {
        var body = DotStuffing.RandomBody(random);
        if (random.Chance(0.1)) return body;
        byte[] tail = random.Chance(0.3) ? DotStuffing.RandomBody(random, 5) : [];
        return random.Chance(0.5) ? [.. DotStuffing.Stuff(body), .. tail] : [.. body, .. "\r\n.\r\n"u8.ToArray(), .. tail];
    }
}
