using DemoBackends.AiAgents.Agents;
using DemoBackends.AiAgents.Graph;
using DemoBackends.Common;

namespace DemoBackends.AiAgents;

internal static class AiAgentsEndpoints
{
    private const int MaxRounds = 5;
    private const int MaxParticipants = 6;

    public static void MapAiAgents(this IEndpointRouteBuilder endpoints)
    {
        var evaluator = new QueryEvaluator(DemoGraph.Create());
        endpoints.MapPost("/v1/graph/query", (HttpRequest http) => QueryGraphAsync(http, evaluator));
        endpoints.MapPost("/v1/agents/{agent}/functions/{function}", RunFunctionAsync);
        endpoints.MapPost("/v1/discussions", RunDiscussionAsync);
        endpoints.MapPost("/v1/agents/{agent}/execute", ExecuteAsync);
    }

    private static async Task<IResult> QueryGraphAsync(HttpRequest http, QueryEvaluator evaluator)
    {
        var (request, error) = await RequestBody.ReadAsync(http, DemoJson.Context.GraphQueryRequest);
        if (request is null)
        {
            return error!;
        }

        if (string.IsNullOrWhiteSpace(request.Query))
        {
            return ApiResults.MissingField("query");
        }

        try
        {
            var result = evaluator.Evaluate(QueryParser.Parse(request.Query), request.Params);
            return ApiResults.Ok(result, DemoJson.Context.GraphQueryResult);
        }
        catch (GraphQueryException ex)
        {
            return ApiResults.Error(StatusCodes.Status400BadRequest, ex.Error, ex.Message);
        }
    }

    private static async Task<IResult> RunFunctionAsync(string agent, string function, HttpRequest http)
    {
        if (!AgentCatalog.IsKnownAgent(agent))
        {
            return ApiResults.NotFound($"Unknown agent '{agent}'.", AgentCatalog.Agents);
        }

        var run = AgentCatalog.FindFunction(agent, function);
        if (run is null)
        {
            return ApiResults.NotFound($"Agent '{agent}' has no function '{function}'.", AgentCatalog.FunctionsOf(agent));
        }

        var (request, error) = await RequestBody.ReadAsync(http, DemoJson.Context.AgentFunctionRequest);
        if (request is null)
        {
            return error!;
        }

        try
        {
            var result = run(new AgentArguments(request.Arguments));
            var response = new AgentFunctionResponse(agent.ToLowerInvariant(), function.ToLowerInvariant(), result);
            return ApiResults.Ok(response, DemoJson.Context.AgentFunctionResponse);
        }
        catch (AgentArgumentException ex)
        {
            return ApiResults.InvalidField(ex.Field, ex.Rule);
        }
    }

    private static async Task<IResult> RunDiscussionAsync(HttpRequest http)
    {
        var (request, error) = await RequestBody.ReadAsync(http, DemoJson.Context.DiscussionRequest);
        if (request is null)
        {
            return error!;
        }

        if (string.IsNullOrWhiteSpace(request.Topic))
        {
            return ApiResults.MissingField("topic");
        }

        if (request.Rounds is < 1 or > MaxRounds)
        {
            return ApiResults.InvalidField("rounds", $"must be an integer from 1 to {MaxRounds}.");
        }

        var participants = request.Participants ?? [.. DiscussionGenerator.DefaultParticipants];
        if (participants.Count is < 1 or > MaxParticipants || participants.Exists(string.IsNullOrWhiteSpace))
        {
            return ApiResults.InvalidField("participants", $"must list 1 to {MaxParticipants} non-empty names.");
        }

        var response = DiscussionGenerator.Run(request.Topic, participants, request.Rounds);
        return ApiResults.Ok(response, DemoJson.Context.DiscussionResponse);
    }

    private static async Task<IResult> ExecuteAsync(string agent, HttpRequest http)
    {
        if (!AgentCatalog.IsKnownAgent(agent))
        {
            return ApiResults.NotFound($"Unknown agent '{agent}'.", AgentCatalog.Agents);
        }

        var (request, error) = await RequestBody.ReadAsync(http, DemoJson.Context.AgentExecuteRequest);
        if (request is null)
        {
            return error!;
        }

        if (string.IsNullOrWhiteSpace(request.Task))
        {
            return ApiResults.MissingField("task");
        }

        IReadOnlyCollection<string> contextKeys = request.Context is null ? [] : new SortedSet<string>(request.Context.Keys, StringComparer.Ordinal);
        var response = AgentCatalog.Execute(agent, request.Task, contextKeys);
        return ApiResults.Ok(response, DemoJson.Context.AgentExecuteResponse);
    }
}
