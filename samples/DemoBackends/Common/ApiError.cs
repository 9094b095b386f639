namespace DemoBackends.Common;

/// <summary>The body of every 4xx/5xx answer: a machine code, a sentence naming what was wrong, and for 404s the known names.</summary>
public sealed record ApiError(string Error, string Detail, IReadOnlyList<string>? Known = null);
