namespace Gateway.Transforms; internal static class AssemblyMarker { }
