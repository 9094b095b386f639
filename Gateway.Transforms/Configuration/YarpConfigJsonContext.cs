using System.Text.Json;
using System.Text.Json.Serialization;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Transforms.Configuration;

/// <summary>
/// YARP's route and cluster shapes as routes.json spells them (names case-insensitive, comments and trailing commas
/// allowed, unknown members refused, enums by name), with metadata generated at build time instead of by reflection
/// at start-up (the generated code is precompiled in a ReadyToRun publish; reflection cannot be).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNameCaseInsensitive = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(RouteConfig))]
[JsonSerializable(typeof(ClusterConfig))]
internal sealed partial class YarpConfigJsonContext : JsonSerializerContext;
