using System.Text.Json;
using Gateway.Proxy.Mcp;

namespace Gateway.Tests.Mcp;

/// <summary>Which tools/call bodies the fast path reads itself; everything else goes to the general path.</summary>
public sealed class StatelessToolCallTests
{
    [TestCase("""{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"echo","arguments":{"text":"hi"}}}""", "7", "echo", """{"text":"hi"}""")]
    [TestCase("""{"method":"tools/call","params":{"arguments":{},"name":"echo"},"id":"req-1","jsonrpc":"2.0"}""", "req-1", "echo", "{}")]
    [TestCase("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo"}}""", "1", "echo", null)]
    [TestCase("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","_meta":{"trace":"x"}}}""", "1", "echo", null)]
    public void TryRead_PlainToolCall_IsRead(string body, string id, string name, string? arguments)
    {
        using var document = JsonDocument.Parse(body);

        Assert.That(StatelessToolCall.TryRead(document.RootElement, out var call), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(call.Id.ToString(), Is.EqualTo(id));
            Assert.That(call.Name, Is.EqualTo(name));
            Assert.That(call.Arguments.ValueKind == JsonValueKind.Undefined ? null : call.Arguments.GetRawText(), Is.EqualTo(arguments));
        });
    }

    [Test]
    public void TryRead_Arguments_OutliveTheRequestDocument()
    {
        var document = JsonDocument.Parse("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"text":"hi"}}}""");
        Assert.That(StatelessToolCall.TryRead(document.RootElement, out var call), Is.True);

        document.Dispose();

        Assert.That(call.Arguments.GetProperty("text").GetString(), Is.EqualTo("hi"), "the request's pooled buffer is returned before the call runs");
    }

    [TestCase("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", TestName = "TryRead_AnotherMethod_IsLeftToTheGeneralPath")]
    [TestCase("""{"jsonrpc":"1.0","id":1,"method":"tools/call","params":{"name":"echo"}}""", TestName = "TryRead_WrongVersion_IsLeftToTheGeneralPath")]
    [TestCase("""{"id":1,"method":"tools/call","params":{"name":"echo"}}""", TestName = "TryRead_NoVersion_IsLeftToTheGeneralPath")]
    [TestCase("""{"jsonrpc":"2.0","method":"tools/call","params":{"name":"echo"}}""", TestName = "TryRead_Notification_IsLeftToTheGeneralPath")]
    [TestCase("""{"jsonrpc":"2.0","id":1.5,"method":"tools/call","params":{"name":"echo"}}""", TestName = "TryRead_FractionalId_IsLeftToTheGeneralPath")]
    [TestCase("""{"jsonrpc":"2.0","id":null,"method":"tools/call","params":{"name":"echo"}}""", TestName = "TryRead_NullId_IsLeftToTheGeneralPath")]
    [TestCase("""{"jsonrpc":"2.0","id":1,"method":"tools/call"}""", TestName = "TryRead_NoParams_IsLeftToTheGeneralPath")]
    [TestCase("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":[]}""", TestName = "TryRead_ParamsNotAnObject_IsLeftToTheGeneralPath")]
    [TestCase("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"arguments":{}}}""", TestName = "TryRead_NoName_IsLeftToTheGeneralPath")]
    [TestCase("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":5}}""", TestName = "TryRead_NameNotAString_IsLeftToTheGeneralPath")]
    [TestCase("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":null}}""", TestName = "TryRead_NullArguments_IsLeftToTheGeneralPath")]
    [TestCase("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":"text"}}""", TestName = "TryRead_ArgumentsNotAnObject_IsLeftToTheGeneralPath")]
    [TestCase("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","_meta":{"progressToken":"p"}}}""", TestName = "TryRead_ProgressRequested_IsLeftToTheGeneralPath")]
    [TestCase("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","task":{"ttl":1000}}}""", TestName = "TryRead_UnknownParamsMember_IsLeftToTheGeneralPath")]
    [TestCase("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo"},"result":{}}""", TestName = "TryRead_UnknownMessageMember_IsLeftToTheGeneralPath")]
    public void TryRead_AnythingButThePlainForm_IsLeftToTheGeneralPath(string body)
    {
        using var document = JsonDocument.Parse(body);

        Assert.That(StatelessToolCall.TryRead(document.RootElement, out _), Is.False);
    }
}
