namespace DemoBackends.SemanticSearch;

public sealed record SearchDocument(string Id, string Title, string Collection, string Text);
