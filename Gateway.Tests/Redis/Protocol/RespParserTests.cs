using System.Buffers;
using System.Text;
using Gateway.Redis;
using Gateway.Redis.Protocol;

namespace Gateway.Tests.Redis.Protocol;

public sealed class RespParserTests
{
    private static readonly RespLimits Limits = new(MaxBulkLength: 1024, MaxArrayLength: 16, MaxReplyBytes: 4096);

    [TestCase("+OK\r\n", RedisValueKind.SimpleString, "OK")]
    [TestCase("+\r\n", RedisValueKind.SimpleString, "")]
    [TestCase("-ERR unknown command\r\n", RedisValueKind.Error, "ERR unknown command")]
    [TestCase(":0\r\n", RedisValueKind.Integer, "0")]
    [TestCase(":-42\r\n", RedisValueKind.Integer, "-42")]
    [TestCase(":9223372036854775807\r\n", RedisValueKind.Integer, "9223372036854775807")]
    [TestCase(":-9223372036854775808\r\n", RedisValueKind.Integer, "-9223372036854775808")]
    [TestCase("$5\r\nhello\r\n", RedisValueKind.BulkString, "hello")]
    [TestCase("$0\r\n\r\n", RedisValueKind.BulkString, "")]
    [TestCase("$4\r\na\r\nb\r\n", RedisValueKind.BulkString, "a\r\nb")]
    [TestCase("$-1\r\n", RedisValueKind.Null, null)]
    [TestCase("*-1\r\n", RedisValueKind.Null, null)]
    public void TryRead_ValidScalar_ReturnsKindAndText(string reply, RedisValueKind kind, string? text)
    {
        foreach (var value in ParseWholeAndSplit(reply))
        {
            Assert.That(value.Kind, Is.EqualTo(kind));
            Assert.That(value.AsString(), Is.EqualTo(text));
        }
    }

    [Test]
    public void TryRead_NestedArray_KeepsStructure()
    {
        foreach (var value in ParseWholeAndSplit("*3\r\n:1\r\n*2\r\n$1\r\na\r\n$-1\r\n+x\r\n"))
        {
            Assert.That(value.Kind, Is.EqualTo(RedisValueKind.Array));
            Assert.That(value.Length, Is.EqualTo(3));
            Assert.That(value[0].AsInt64(), Is.EqualTo(1));
            Assert.That(value[1][0].AsString(), Is.EqualTo("a"));
            Assert.That(value[1][1].IsNull, Is.True);
            Assert.That(value[2].AsString(), Is.EqualTo("x"));
        }
    }

    [TestCase("+OK")]
    [TestCase("+OK\r")]
    [TestCase("$5\r\nhel")]
    [TestCase("$5\r\nhello\r")]
    [TestCase("*2\r\n:1\r\n")]
    [TestCase(":12")]
    [TestCase("")]
    public void TryRead_IncompleteReply_AsksForMoreWithoutConsuming(string partial)
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(partial));

        var complete = RespParser.TryRead(ref buffer, Limits, out _);

        Assert.That(complete, Is.False);
        Assert.That(buffer.Length, Is.EqualTo(partial.Length));
    }

    [TestCase("?x\r\n", "unexpected type byte 0x3F")]
    [TestCase("$abc\r\n", "non-digit")]
    [TestCase(":12a\r\n", "non-digit")]
    [TestCase(":\r\n", "empty number")]
    [TestCase(":-\r\n", "empty number")]
    [TestCase(":99999999999999999999\r\n", "overflows")]
    [TestCase(":123456789012345678901\r\n", "longer than 20")]
    [TestCase("+OK\n", "line feed without carriage return")]
    [TestCase("+OK\rX\n", "carriage return not followed by line feed")]
    [TestCase("$3\r\nfooXY", "not followed by CRLF")]
    [TestCase("$-2\r\n", "negative bulk string length")]
    [TestCase("*-5\r\n", "negative array length")]
    [TestCase("$1025\r\n", "exceeds the 1024-byte limit")]
    [TestCase("*17\r\n", "exceeds the 16-element limit")]
    public void TryRead_MalformedReply_ThrowsProtocolErrorNamingTheProblem(string reply, string problem)
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(reply));

        var error = Assert.Throws<RedisProtocolException>(() => RespParser.TryRead(ref buffer, Limits, out _));

        Assert.That(error!.Message, Does.Contain(problem));
    }

    [Test]
    public void TryRead_ArraysNestedTooDeep_ThrowsInsteadOfRecursingWithoutBound()
    {
        var reply = string.Concat(Enumerable.Repeat("*1\r\n", RespLimits.MaxDepth + 1)) + ":1\r\n";
        var buffer = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(reply));

        var error = Assert.Throws<RedisProtocolException>(() => RespParser.TryRead(ref buffer, Limits, out _));

        Assert.That(error!.Message, Does.Contain("nested deeper"));
    }

    [Test]
    public void TryRead_LineWithoutCrlfBeyondLimit_ThrowsInsteadOfBufferingForever()
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes("+" + new string('a', RespLimits.MaxLineLength + 1)));
        var limits = Limits with { MaxReplyBytes = 1024 * 1024 };

        var error = Assert.Throws<RedisProtocolException>(() => RespParser.TryRead(ref buffer, limits, out _));

        Assert.That(error!.Message, Does.Contain("without CRLF"));
    }

    [Test]
    public void TryRead_IncompleteReplyLargerThanReplyLimit_Throws()
    {
        var items = string.Concat(Enumerable.Repeat("$1000\r\n" + new string('x', 1000) + "\r\n", 5));
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes("*6\r\n" + items));

        var error = Assert.Throws<RedisProtocolException>(() => RespParser.TryRead(ref buffer, Limits, out _));

        Assert.That(error!.Message, Does.Contain("4096-byte limit"));
    }

    [Test]
    public void TryRead_SeveralPipelinedReplies_ReadsThemInOrder()
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes("+a\r\n:2\r\n$1\r\nc\r\n+par"));
        var texts = new List<string?>();

        while (RespParser.TryRead(ref buffer, Limits, out var value))
        {
            texts.Add(value.AsString());
        }

        Assert.That(texts, Is.EqualTo(new[] { "a", "2", "c" }));
        Assert.That(buffer.Length, Is.EqualTo(4), "the partial fourth reply stays buffered");
    }

    private static IEnumerable<RedisValue> ParseWholeAndSplit(string reply)
    {
        var bytes = Encoding.UTF8.GetBytes(reply);
        foreach (var sequence in new[] { new ReadOnlySequence<byte>(bytes), Segments.OneBytePerSegment(bytes) })
        {
            var buffer = sequence;
            Assert.That(RespParser.TryRead(ref buffer, Limits, out var value), Is.True);
            Assert.That(buffer.IsEmpty, Is.True);
            yield return value;
        }
    }
}
