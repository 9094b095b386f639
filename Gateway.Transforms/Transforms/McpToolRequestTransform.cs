using System.Runtime.InteropServices;
using Gateway.Transforms.Mapping;
using Gateway.Transforms.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Transforms;

namespace Gateway.Transforms.Transforms;

/// <summary>Turns a tool call's arguments into the backend REST request its route declares.</summary>
public sealed class McpToolRequestTransform : RequestTransform
{
    public const string JsonContentType = "application/json; charset=utf-8";

    // The bound path is already escaped segment by segment; System.Uri must not unescape or shorten it again.
    private static readonly UriCreationOptions s_verbatim = new() { DangerousDisablePathAndQueryCanonicalization = true };

    public McpToolRequestTransform(RestRequestTemplate template) => Template = template;

    public RestRequestTemplate Template { get; }

    public override ValueTask ApplyAsync(RequestTransformContext context)
    {
        var httpContext = context.HttpContext;
        if (httpContext.Response.StatusCode != StatusCodes.Status200OK || httpContext.Response.HasStarted)
        {
            return default;
        }

        var toolCall = httpContext.Features.Get<GatewayCall>();
        if (toolCall?.Tool is null)
        {
            // A tool route is reached only through /mcp or /tools/call; a direct hit has no arguments to map.
            httpContext.Response.StatusCode = StatusCodes.Status404NotFound;
            return default;
        }

        // Bound (and checked) by ToolRequestBindingStep when the call was admitted.
        var bound = toolCall.BoundRequest ?? throw new InvalidOperationException(
            $"Tool '{toolCall.Tool.Name}': the backend request was not bound before forwarding; ToolRequestBindingStep must run for every tool call.");

        var template = bound.Template;
        context.ProxyRequest.Method = template.Method;
        var queryStart = bound.PathAndQuery.IndexOf('?');
        context.Path = PathString.FromUriComponent(queryStart < 0 ? bound.PathAndQuery : bound.PathAndQuery[..queryStart]);
        context.Query.Collection.Clear();

        foreach (var (name, value) in bound.Headers)
        {
            context.ProxyRequest.Headers.Remove(name);
            context.ProxyRequest.Headers.TryAddWithoutValidation(name, value);
        }

        // YARP would escape the path again (turning an encoded '/' into %252F), so the destination URI is built here.
        context.ProxyRequest.RequestUri = new Uri(string.Concat(context.DestinationPrefix.AsSpan().TrimEnd('/'), bound.PathAndQuery), in s_verbatim);

        // YARP 2.3 forbids replacing ProxyRequest.Content: its content streams the caller's request body, so the bound
        // body becomes that body, afresh for every attempt (a retry must not find it already read).
        var content = context.ProxyRequest.Content;
        if (bound.Body is { } body && content is not null)
        {
            httpContext.Request.Body = AsStream(body);
            content.Headers.ContentLength = body.Length;
            // Unparsed, so the connection writes the value as is instead of formatting a MediaTypeHeaderValue per call.
            content.Headers.Remove(HeaderNames.ContentType);
            content.Headers.TryAddWithoutValidation(HeaderNames.ContentType, JsonContentType);
        }
        else if (bound.Body is not null || content is not null)
        {
            throw new InvalidOperationException(
                $"Tool '{toolCall.Tool.Name}': the exchange's body headers do not match the bound request; the dispatcher sets them from it.");
        }

        return default;
    }

    private static MemoryStream AsStream(ReadOnlyMemory<byte> body) =>
        MemoryMarshal.TryGetArray(body, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(body.ToArray(), writable: false);
}
