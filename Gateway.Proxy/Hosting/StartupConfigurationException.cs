namespace Gateway.Proxy.Hosting;

/// <summary>
/// A setting the gateway cannot start with (an environment variable or command-line value); the message says which
/// one and what to set instead, and is all an operator sees (exit code 1, no stack trace).
/// </summary>
public sealed class StartupConfigurationException(string message) : Exception(message);
