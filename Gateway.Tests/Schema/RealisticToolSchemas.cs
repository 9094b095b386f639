namespace Gateway.Tests.Schema;

/// <summary>Schemas shaped like the gateway's real tools.</summary>
internal static class RealisticToolSchemas
{
    public const string SemanticSearch = """
        {
          "type": "object",
          "title": "semantic_search",
          "description": "Search the document store by meaning.",
          "properties": {
            "query": { "type": "string", "minLength": 1, "maxLength": 2000, "description": "What to look for." },
            "top_k": { "type": "integer", "minimum": 1, "maximum": 50, "default": 5 },
            "collection": { "type": "string", "enum": ["docs", "tickets", "code"], "default": "docs" },
            "filters": {
              "type": "object",
              "properties": {
                "lang": { "type": "string", "pattern": "^[a-z]{2}$" },
                "year": { "type": "integer", "minimum": 1990 },
                "tags": { "type": "array", "items": { "type": "string" }, "uniqueItems": true, "maxItems": 5 }
              },
              "additionalProperties": false
            }
          },
          "required": ["query"],
          "additionalProperties": false
        }
        """;

    public const string GraphQuery = """
        {
          "type": "object",
          "properties": {
            "query": { "type": "string", "minLength": 1, "description": "A read-only Cypher query." },
            "params": { "type": "object", "description": "Query parameters.", "additionalProperties": true },
            "timeout_ms": { "type": "integer", "exclusiveMinimum": 0, "maximum": 60000 },
            "format": { "anyOf": [ { "const": "table" }, { "const": "graph" } ] }
          },
          "required": ["query"]
        }
        """;
}
