namespace Gateway.Transforms.Schema;

/// <summary>The <c>format</c> values the gateway can enforce.</summary>
internal enum StringFormat
{
    DateTime,
    Email,
    Uri,
    Uuid,
}
