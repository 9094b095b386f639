// Usage: node list-and-call.mjs [url] [tool] [json-arguments]
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const url = new URL(process.argv[2] ?? "http://127.0.0.1:8087/mcp");
const tool = process.argv[3] ?? "semantic_search";
const args = JSON.parse(process.argv[4] ?? '{"query":"redis rate limiting","top_k":2}');

const client = new Client({ name: "gateway-ts-client", version: "1.0.0" });
await client.connect(new StreamableHTTPClientTransport(url));
const { tools } = await client.listTools();
console.log(`tools (${tools.length}): ${tools.map((t) => t.name).join(", ")}`);
const result = await client.callTool({ name: tool, arguments: args });
console.log(JSON.stringify(result, null, 2));
await client.close();
