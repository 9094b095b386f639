using System.Net;
using System.Net.Sockets;

namespace Gateway.Bench;

/// <summary>A loopback port that was free a moment ago, for the processes the harness starts.</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
