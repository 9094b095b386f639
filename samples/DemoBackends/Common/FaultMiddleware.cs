namespace DemoBackends.Common;

/// <summary>Counts requests and applies the backend's injected faults; <c>/health</c> only honours the forced status.</summary>
internal sealed class FaultMiddleware(RequestDelegate next, BackendFaults faults)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var isHealth = context.Request.Path.Equals(HealthEndpoints.Path, StringComparison.OrdinalIgnoreCase);
        if (isHealth)
        {
            faults.CountHealthCheck();
        }
        else
        {
            faults.CountRequest();
        }

        if (!isHealth && faults.Delay is { Ticks: > 0 } delay)
        {
            try
            {
                await Task.Delay(delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        if (faults.ForcedStatus is { } status)
        {
            var result = isHealth
                ? Results.Json(new HealthStatus("unhealthy", faults.Name), DemoJson.Context.HealthStatus, statusCode: StatusCodes.Status503ServiceUnavailable)
                : ApiResults.Error(status, "forced_fault", $"The demo backend '{faults.Name}' is forced to answer {status}.");
            await result.ExecuteAsync(context);
            return;
        }

        await next(context);
    }
}
