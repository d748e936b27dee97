using System.Buffers;
using System.IO.Pipelines;

namespace Estafeta.Net.Tests;

/// <summary>Feeds bytes into a pipe in segments of a given size, each flushed on its own, so that
/// readers see every possible split of the input.</summary>
public static class Segments
{
    public static IEnumerable<int> Sizes(int inputLength) => Enumerable.Range(1, Math.Min(512, Math.Max(1, inputLength)));

    public static PipeReader Feed(byte[] input, int segmentSize)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
        for (var i = 0; i < input.Length; i += segmentSize)
        {
            pipe.Writer.Write(input.AsSpan(i, Math.Min(segmentSize, input.Length - i)));
            pipe.Writer.FlushAsync().AsTask().GetAwaiter().GetResult();
        }
        pipe.Writer.Complete();
        return pipe.Reader;
    }
}
