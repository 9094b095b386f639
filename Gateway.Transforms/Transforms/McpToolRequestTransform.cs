using System.Buffers;
using System.Net.Http.Headers;
using Gateway.Transforms.Mapping;
using Gateway.Transforms.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Transforms;

namespace Gateway.Transforms.Transforms;

/// <summary>Turns a tool call's arguments into the backend REST request its route declares.</summary>
public sealed class McpToolRequestTransform : RequestTransform
{
    private static readonly MediaTypeHeaderValue s_json = new("application/json") { CharSet = "utf-8" };

    public McpToolRequestTransform(RestRequestTemplate template) => Template = template;

    public RestRequestTemplate Template { get; }

    public override ValueTask ApplyAsync(RequestTransformContext context)
    {
        var httpContext = context.HttpContext;
        if (httpContext.Response.StatusCode != StatusCodes.Status200OK || httpContext.Response.HasStarted)
        {
            return default;
        }

        var toolCall = httpContext.Features.Get<ToolCallFeature>();
        if (toolCall is null)
        {
            // A tool route is reached only through /mcp or /tools/call; a direct hit has no arguments to map.
            httpContext.Response.StatusCode = StatusCodes.Status404NotFound;
            return default;
        }

        var arguments = toolCall.Arguments;
        if (!Template.Path.TryExpand(name => RestRequestTemplate.ScalarText(arguments, name), out var path, out var missing))
        {
            return Rejections.RejectAsync(httpContext, GatewayRejection.InvalidArguments(
                $"Argument '{missing}' is required by tool '{toolCall.Tool.Name}' (it fills the backend path {Template.Path.Text}); pass a non-empty value."));
        }

        context.ProxyRequest.Method = Template.Method;
        context.Path = PathString.FromUriComponent(path);

        var query = context.Query.Collection;
        query.Clear();
        foreach (var binding in Template.Query)
        {
            if (arguments.TryGetProperty(binding.Argument, out var value))
            {
                query[binding.Target] = value.ValueKind == System.Text.Json.JsonValueKind.Array
                    ? ArrayValues(value)
                    : RestRequestTemplate.ScalarText(arguments, binding.Argument);
            }
        }

        foreach (var binding in Template.Headers)
        {
            if (RestRequestTemplate.ScalarText(arguments, binding.Argument) is { } headerValue)
            {
                context.ProxyRequest.Headers.Remove(binding.Target);
                context.ProxyRequest.Headers.TryAddWithoutValidation(binding.Target, headerValue);
            }
        }

        // The template already escaped each argument as one segment. YARP would escape the path again (turning an
        // encoded '/' into %252F), so the destination URI is built here from the escaped form.
        context.ProxyRequest.RequestUri = new Uri(string.Concat(context.DestinationPrefix.AsSpan().TrimEnd('/'), path, context.Query.QueryString.Value));

        var buffer = new ArrayBufferWriter<byte>(256);
        if (Template.TryWriteBody(arguments, buffer))
        {
            var content = new ReadOnlyMemoryContent(buffer.WrittenMemory);
            content.Headers.ContentType = s_json;
            context.ProxyRequest.Content = content;
        }
        else
        {
            context.ProxyRequest.Content = null;
        }

        return default;
    }

    private static StringValues ArrayValues(System.Text.Json.JsonElement array)
    {
        var values = new string?[array.GetArrayLength()];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            values[i++] = item.ValueKind == System.Text.Json.JsonValueKind.String ? item.GetString() : item.GetRawText();
        }

        return new StringValues(values);
    }
}
