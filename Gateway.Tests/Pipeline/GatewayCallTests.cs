using Gateway.Transforms.Pipeline;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Pipeline;

public sealed class GatewayCallTests
{
    [TestCase("GET", null, true)]
    [TestCase("HEAD", null, true)]
    [TestCase("GET", 10L, false)]
    [TestCase("POST", null, false)]
    [TestCase("PUT", 0L, false)]
    [TestCase("DELETE", null, false)]
    public void IsRetrySafe_Passthrough_OnlySafeMethodsWithoutBody(string method, long? contentLength, bool expected)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.ContentLength = contentLength;

        Assert.That(GatewayCall.ForPassthrough(context.Request).IsRetrySafe, Is.EqualTo(expected));
    }
}
