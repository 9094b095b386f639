namespace Gateway.Transforms.Schema;

/// <summary>The JSON Schema <c>type</c> names as flags, so a set of allowed types is a single test.</summary>
[Flags]
internal enum JsonTypes
{
    None = 0,
    Null = 1,
    Boolean = 2,
    Object = 4,
    Array = 8,
    Number = 16,
    String = 32,
    Integer = 64,
}
