using System.Text.Json;
using Gateway.Proxy.Pipeline;
using Gateway.Transforms.Catalog;
using Gateway.Transforms.Pipeline;
using Gateway.Transforms.Schema;
using Microsoft.AspNetCore.Http;
using ModelContextProtocol.Protocol;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Gateway.Tests.Pipeline;

/// <summary>The call pipeline's contract: steps decide in order, the first rejection stops the call, decided headers are kept, observers see a call once.</summary>
public sealed class CallPipelineTests
{
    private static readonly RouteModel s_route = new(new RouteConfig { RouteId = "r", ClusterId = "c" }, cluster: null, HttpTransformer.Empty);

    [Test]
    public async Task DecideAsync_EveryStepAllows_AdmitsTheCallAfterRunningStepsInOrder()
    {
        var trace = new List<int>();
        var pipeline = new CallPipeline([new Step(300, trace), new Step(100, trace), new Step(200, trace)], []);
        var call = ToolCall();

        var rejection = await pipeline.DecideAsync(new DefaultHttpContext(), s_route, call);

        Assert.That(rejection, Is.Null);
        Assert.That(call.IsAdmitted, Is.True);
        Assert.That(trace, Is.EqualTo(new[] { 100, 200, 300 }));
    }

    [Test]
    public async Task DecideAsync_AStepRejects_StopsThereAndRecordsTheRejectionOnTheCall()
    {
        var trace = new List<int>();
        var refusal = new GatewayRejection(429, GatewayErrorCodes.RateLimited, "slow down", RejectionKind.ToolError) { SecurityFlag = "flag" };
        var pipeline = new CallPipeline([new Step(100, trace), new Step(200, trace, refusal), new Step(300, trace)], []);
        var call = ToolCall();

        var rejection = await pipeline.DecideAsync(new DefaultHttpContext(), s_route, call);

        Assert.That(rejection, Is.SameAs(refusal));
        Assert.That(call.Rejection, Is.SameAs(refusal));
        Assert.That(call.IsAdmitted, Is.False);
        Assert.That(call.SecurityFlags, Is.EqualTo(new[] { "flag" }));
        Assert.That(trace, Is.EqualTo(new[] { 100, 200 }));
    }

    [Test]
    public async Task DecideAsync_HeadersDecidedBeforeARejection_StayOnTheCall()
    {
        KeyValuePair<string, string>[] headers = [new("X-RateLimit-Remaining", "0")];
        var refusal = GatewayRejection.InvalidArguments("bad");
        var pipeline = new CallPipeline([new Step(100, [], headers: headers), new Step(200, [], refusal)], []);
        var call = ToolCall();

        await pipeline.DecideAsync(new DefaultHttpContext(), s_route, call);

        Assert.That(call.ResponseHeaders, Is.EqualTo(headers));
    }

    [Test]
    public void Observe_NotifiesEveryObserverOnce()
    {
        var first = new CountingObserver();
        var second = new CountingObserver();
        var pipeline = new CallPipeline([], [first, second]);

        pipeline.Observe(new GatewayCallRecord(new DefaultHttpContext(), s_route, ToolCall(), 200, null, TimeSpan.Zero));

        Assert.That((first.Calls, second.Calls), Is.EqualTo((1, 1)));
    }

    [Test]
    public void Reject_FirstRejectionStands()
    {
        var call = ToolCall();
        var first = GatewayRejection.InvalidArguments("first");

        call.Reject(first);
        call.Reject(GatewayRejection.InvalidArguments("second"));

        Assert.That(call.Rejection, Is.SameAs(first));
    }

    private static GatewayCall ToolCall()
    {
        var schema = ToolSchema.Compile(JsonDocument.Parse("""{"type":"object"}""").RootElement, ToolSchemaRole.Input, new ToolSchemaOptions(), out _)!;
        var tool = new ToolDefinition("t", "r", "c", schema, null, new Tool { Name = "t", InputSchema = schema.Source });
        return GatewayCall.ForTool(tool, JsonDocument.Parse("{}").RootElement, CallEntryPoint.RestFacade);
    }

    private sealed class Step(int order, List<int> trace, GatewayRejection? rejection = null, KeyValuePair<string, string>[]? headers = null) : IGatewayStep
    {
        public int Order => order;

        public ValueTask<StepResult> InvokeAsync(GatewayStepContext context)
        {
            trace.Add(order);
            return new StepResult(rejection, headers);
        }
    }

    private sealed class CountingObserver : IGatewayCallObserver
    {
        public int Calls { get; private set; }

        public void OnCallCompleted(in GatewayCallRecord record) => Calls++;
    }
}
