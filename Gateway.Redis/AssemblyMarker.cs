namespace Gateway.Redis; internal static class AssemblyMarker { }
