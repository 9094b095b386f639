using Gateway.Proxy.Resilience;
using Gateway.Transforms.Pipeline;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Tests.Resilience;

public sealed class AttemptClassifierTests
{
    [TestCase(ForwarderError.None, 200, AttemptKind.Completed)]
    [TestCase(ForwarderError.None, 404, AttemptKind.Completed)]
    [TestCase(ForwarderError.None, 500, AttemptKind.BackendFailure)]
    [TestCase(ForwarderError.None, 503, AttemptKind.BackendFailure)]
    [TestCase(ForwarderError.Request, 502, AttemptKind.ConnectionFailure)]
    [TestCase(ForwarderError.RequestTimedOut, 504, AttemptKind.Timeout)]
    [TestCase(ForwarderError.NoAvailableDestinations, 503, AttemptKind.NotSent)]
    [TestCase(ForwarderError.RequestBodyClient, 400, AttemptKind.Canceled)]
    [TestCase(ForwarderError.ResponseBodyDestination, 200, AttemptKind.BackendFailure)]
    [TestCase(ForwarderError.RequestCreation, 502, AttemptKind.RequestNotBuilt)]
    public void Classify_ForwarderOutcome(ForwarderError error, int status, AttemptKind expected)
    {
        var context = new DefaultHttpContext();
        context.Response.StatusCode = status;
        context.Features.Set<IForwarderErrorFeature>(new GatewayForwarderError(error, null));

        Assert.That(AttemptClassifier.Classify(context, timedOut: false, callerGone: false), Is.EqualTo(expected));
    }

    [Test]
    public void Classify_RequestTheGatewayFailedToBuild_IsNeitherABackendFailureNorRetryable()
    {
        var context = new DefaultHttpContext();
        context.Response.StatusCode = 502;
        context.Features.Set<IForwarderErrorFeature>(new GatewayForwarderError(ForwarderError.RequestCreation, new UriFormatException("bad")));

        var result = new AttemptResult(AttemptClassifier.Classify(context, timedOut: false, callerGone: false), RetrySafe: true);

        Assert.That((result.IsBackendFailure, result.IsRetryable), Is.EqualTo((false, false)));
    }

    [Test]
    public void Classify_GatewayRejectionOnAPassthroughRoute_IsCompletedWhateverItsStatus()
    {
        var context = new DefaultHttpContext();
        context.Response.StatusCode = 503;
        var call = GatewayCall.ForPassthrough(context.Request);
        call.Reject(new GatewayRejection(503, "X", "m", RejectionKind.ProtocolError));
        context.Features.Set(call);

        Assert.That(AttemptClassifier.Classify(context, timedOut: false, callerGone: false), Is.EqualTo(AttemptKind.Completed));
    }

    [Test]
    public void Classify_TimeoutWinsOverWhatYarpReported()
    {
        var context = new DefaultHttpContext();
        context.Features.Set<IForwarderErrorFeature>(new GatewayForwarderError(ForwarderError.RequestCanceled, null));

        Assert.That(AttemptClassifier.Classify(context, timedOut: true, callerGone: false), Is.EqualTo(AttemptKind.Timeout));
    }
}
