namespace Gateway.Transforms.Pipeline;

/// <summary>Told about every proxied call once it has finished (audit, metrics). Must not throw or block.</summary>
public interface IGatewayCallObserver
{
    void OnCallCompleted(in GatewayCallRecord record);
}
