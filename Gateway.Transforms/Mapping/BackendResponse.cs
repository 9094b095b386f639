using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Transforms.Mapping;

/// <summary>What came back from the backend for one tool call, as captured from the YARP pipeline.</summary>
public readonly record struct BackendResponse(int StatusCode, string? ContentType, ReadOnlyMemory<byte> Body, ForwarderError Error);
