using System.Buffers;
using System.Text;
using Gateway.Redis;
using Gateway.Redis.Protocol;

namespace Gateway.Tests.Redis.Protocol;

public sealed class RespWriterTests
{
    [Test]
    public void WriteCommand_MixedArguments_EncodesRespArrayOfBulkStrings()
    {
        RedisArg[] args = ["k\u00e9y", 42L, -7, 1.5];

        var text = Write(new RedisCommand("SET", args));

        Assert.That(text, Is.EqualTo("*5\r\n$3\r\nSET\r\n$4\r\nk\u00e9y\r\n$2\r\n42\r\n$2\r\n-7\r\n$3\r\n1.5\r\n"));
    }

    [Test]
    public void WriteCommand_BinaryArgument_IsCopiedVerbatim()
    {
        var buffer = new ArrayBufferWriter<byte>();

        RespWriter.WriteCommand(buffer, new RedisCommand("X", new RedisArg[] { new byte[] { 0, 255, 13 } }));

        var expected = Encoding.ASCII.GetBytes("*2\r\n$1\r\nX\r\n$3\r\n").Concat(new byte[] { 0, 255, 13, 13, 10 });
        Assert.That(buffer.WrittenSpan.ToArray(), Is.EqualTo(expected));
    }

    [Test]
    public void WriteCommand_Script_WritesNumKeysThenKeysThenArgs()
    {
        string[] keys = ["a", "b"];
        RedisArg[] args = ["x"];

        var text = Write(new RedisCommand("EVALSHA", "abc", keys, args));

        Assert.That(text, Is.EqualTo("*6\r\n$7\r\nEVALSHA\r\n$3\r\nabc\r\n$1\r\n2\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nx\r\n"));
    }

    [TestCase(double.PositiveInfinity, "+inf")]
    [TestCase(double.NegativeInfinity, "-inf")]
    [TestCase(0.1, "0.1")]
    public void WriteCommand_Double_UsesRedisSpelling(double value, string expected)
    {
        var text = Write(new RedisCommand("X", new RedisArg[] { value }));

        Assert.That(text, Does.EndWith($"${expected.Length}\r\n{expected}\r\n"));
    }

    [Test]
    public void RedisArg_NaN_IsRejectedBeforeAnythingIsWritten()
    {
        Assert.That(() => { RedisArg _ = double.NaN; }, Throws.ArgumentException.With.Message.Contains("NaN"));
    }

    private static string Write(in RedisCommand command)
    {
        var buffer = new ArrayBufferWriter<byte>();
        RespWriter.WriteCommand(buffer, command);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
